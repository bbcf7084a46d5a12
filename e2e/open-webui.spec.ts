/**
 * An Open WebUI data folder (`tend demo --profile open-webui`) in the app: it opens without a
 * word about the native layout, its usage map shows Open WebUI's own places, and what it offers
 * to clean up is only Open WebUI's disposable caches (generated speech and images, tokenizer
 * files): never its downloaded models, and never an upload, orphan or not (the engine reports
 * orphans with their sizes; removing one is the person's call).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, screenshot, startHost, tempFolder, tend, test } from './support/tend';

test('an Open WebUI folder opens, its places are mapped, and only its disposable caches are offered for cleanup', async ({
  page,
}) => {
  const root = path.join(tempFolder('owui'), 'data');
  tend(['demo', '--profile', 'open-webui', '--root', root, '--size', 'small', '--seed', '1']);
  const host = await startHost(root);
  try {
    await page.goto(host.url);
    const map = page.getByTestId('usage-map');
    await expect(map.getByRole('button', { name: /^vector_db:/ })).toBeVisible();
    await expect(map.getByRole('button', { name: /^uploads:/ })).toBeVisible();
    await expect(map.getByRole('button', { name: /^cache:/ })).toBeVisible();

    // Past the default age limit of 90 days: generated speech and images, tokenizer files;
    // the downloaded models under cache/ stay, whatever their age.
    const limit = Date.now() - 90 * 86_400_000;
    const disposable = ['audio', 'image', 'tiktoken'].flatMap((folder) =>
      (fs.readdirSync(path.join(root, 'cache', folder), { recursive: true }) as string[])
        .map((file) => `cache/${folder}/${file.split(path.sep).join('/')}`)
        .filter((file) => {
          const stat = fs.statSync(path.join(root, file));
          return stat.isFile() && stat.mtimeMs < limit;
        }),
    );
    expect(disposable.length).toBe(6);
    const cache = page.getByTestId('reclaim-cache');
    await expect(cache).toContainText('6 files');
    await screenshot(page, 'open-webui-usage');
    await cache.getByRole('button', { name: 'Clean up…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('cleanup-total')).toBeVisible();
    const listed = await dialog.locator('tbody td.cleanup-path').allTextContents();
    expect([...listed].sort()).toEqual(disposable.sort());
    await screenshot(page, 'open-webui-cleanup-preview');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Nothing under uploads/ (orphans included) is ever offered.
    const uploads = fs.readdirSync(path.join(root, 'uploads'));
    expect(uploads.length).toBeGreaterThan(2);
    await expect(page.getByTestId('usage-reclaimable')).not.toContainText('uploads/');

    // The Stores panel starts a store-check job on a folder never checked, shows its progress,
    // then names the orphans, each with its size, and what they add up to.
    const panel = page.getByTestId('store-checks');
    await expect(panel).toHaveAttribute('data-state', 'checked', { timeout: 60_000 });
    const storeJobs = async () =>
      (
        (await host.api('jobs:list', { kind: 'store-check' })).value as {
          jobs: Array<{
            state: string;
            progress: { filesDone: number; filesTotal: number | null };
          }>;
        }
      ).jobs;
    const [checkJob] = await storeJobs();
    expect(checkJob!.state).toBe('succeeded');
    expect(checkJob!.progress.filesTotal).toBeGreaterThan(1);
    expect(checkJob!.progress.filesDone).toBe(checkJob!.progress.filesTotal);
    const { checks } = (await host.api('profiles:last-check')).value as {
      checks: {
        instances: Array<{
          storeId: string;
          findings: Array<{ code: string; severity: string; bytes?: number }>;
        }>;
      };
    };
    const orphansOf = (storeId: string, code: string) =>
      checks.instances
        .find((instance) => instance.storeId === storeId)!
        .findings.filter((finding) => finding.code === code);
    const uploadOrphans = orphansOf('uploads', 'UPLOAD_ORPHAN');
    const segmentOrphans = orphansOf('vector-db', 'CHROMA_SEGMENT_ORPHAN');
    expect(uploadOrphans.length).toBeGreaterThan(0);
    expect(segmentOrphans.length).toBeGreaterThan(0);
    await expect(panel.getByTestId('store-checks-headline')).toContainText('used by nothing');
    for (const [storeId, code, orphans] of [
      ['uploads', 'UPLOAD_ORPHAN', uploadOrphans],
      ['vector-db', 'CHROMA_SEGMENT_ORPHAN', segmentOrphans],
    ] as const) {
      const row = panel.getByTestId(`store-check-${storeId}`);
      await expect(row).toContainText('Space to reclaim');
      const shown = row.locator(`[data-code="${code}"]`);
      await expect(shown).toHaveCount(Math.min(orphans.length, 8));
      for (const line of await shown.all()) {
        await expect(line.locator('.store-finding-bytes')).toHaveText(
          / \(\d+(\.\d+)? (B|KiB|MiB|GiB)\)$/,
        );
      }
      const total = orphans.reduce((sum, finding) => sum + (finding.bytes ?? 0), 0);
      await expect(row.locator('.store-check-bytes')).toHaveAttribute('data-bytes', String(total));
    }
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'open-webui-stores');

    // After a reload the last check is read back from the catalog: no second check runs.
    await page.reload();
    await expect(panel).toHaveAttribute('data-state', 'checked', { timeout: 60_000 });
    await expect(panel.getByTestId('store-checks-headline')).toContainText('used by nothing');
    expect(await storeJobs()).toHaveLength(1);

    // "Check again" runs a new job: progress while it runs, the findings when it is done.
    await panel.getByRole('button', { name: 'Check again' }).click();
    await expect
      .poll(async () => (await storeJobs()).map((job) => job.state), { timeout: 60_000 })
      .toEqual(['succeeded', 'succeeded']);
    await expect(panel).toHaveAttribute('data-state', 'checked');
    await expect(panel.getByTestId('store-check-progress')).toHaveCount(0);
  } finally {
    await host.stop();
  }
});
