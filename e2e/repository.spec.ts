import fs from 'node:fs';
import path from 'node:path';
import { expect, makeDemoRoot, screenshot, startHost, tempFolder, test } from './support/tend';

test('Encrypted backups: create a repository in Settings on a folder, back up, restore one file from the snapshot through the wizard', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const root = makeDemoRoot(12);
  const folder = path.join(tempFolder('usb'), 'tend-repo');
  const settingsFile = path.join(root, 'config/settings.yaml');
  const original = fs.readFileSync(settingsFile, 'utf8');
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#settings`);
    const section = page.getByTestId('repository-section');
    await expect(section.getByRole('heading', { name: 'Encrypted backups' })).toBeVisible();
    await expect(page.getByTestId('repository-location')).toContainText('Off');

    // The place: a folder, tested step by step, then used for the scheduled backups.
    await section.getByLabel('Where').selectOption('local');
    await section.getByLabel('Folder').fill(folder);
    await section.getByRole('button', { name: 'Test' }).click();
    const report = page.getByTestId('repository-test');
    await expect(report).toContainText('The place works.');
    for (const step of ['reach', 'write', 'read-back', 'delete', 'free-space']) {
      await expect(report.locator(`li[data-step="${step}"]`)).toHaveAttribute(
        'data-status',
        'passed',
      );
    }
    await screenshot(page, 'repository-test');
    await section.getByRole('button', { name: 'Use for scheduled backups' }).click();
    await expect(page.getByTestId('repository-location')).toContainText(folder);

    // No passphrase typed: Tend makes one and shows it once, with the recovery sheet.
    await section.getByRole('button', { name: 'Create repository' }).click();
    const sheet = page.getByTestId('recovery-sheet');
    await expect(sheet).toContainText('A lost passphrase is lost backups', { timeout: 60_000 });
    const passphrase = (await page.getByTestId('generated-passphrase').textContent()) ?? '';
    expect(passphrase).toMatch(/^([a-z2-9]{4}-){7}[a-z2-9]{4}$/);
    await expect(sheet).toContainText(`restic -r ${folder} restore latest`);
    await screenshot(page, 'repository-recovery-sheet');
    await sheet.getByRole('button', { name: 'I have kept it safe' }).click();
    await expect(page.getByTestId('recovery-sheet')).toHaveCount(0);
    await expect(page.getByTestId('generated-passphrase')).toHaveCount(0);
    await expect(page.getByTestId('repository-location')).toContainText('known until Tend stops');
    expect(fs.existsSync(path.join(folder, 'config'))).toBe(true);

    // A backup into the repository, followed to its end.
    await section.getByRole('button', { name: 'Back up to the repository now' }).click();
    await expect(section).toContainText('The encrypted backup started');
    await expect
      .poll(
        async () => {
          const answer = await host.api('repository:snapshots', {});
          return answer.ok ? (answer.value as { snapshots: unknown[] }).snapshots.length : -1;
        },
        { timeout: 180_000, intervals: [1_000] },
      )
      .toBe(1);

    // The Backups page lists it beside the archives.
    await page.goto(`${host.url}#backups`);
    await expect(page.getByTestId('repository-snapshots')).toContainText('Critical', {
      timeout: 30_000,
    });
    await screenshot(page, 'repository-snapshots');

    // One file changed since; the wizard restores it from the snapshot.
    fs.writeFileSync(settingsFile, 'broken: true\n');
    await page.goto(`${host.url}#restore`);
    const choice = page.getByRole('radio', { name: /^snapshot [0-9a-f]{8}/ });
    await choice.check({ timeout: 30_000 });
    await expect(choice).toBeChecked();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { name: 'What to restore' })).toBeVisible({
      timeout: 120_000,
    });
    await page.getByRole('radio', { name: /Some files or folders/ }).check();
    await page.getByLabel('One path per line').fill('config/settings.yaml');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('restore-plan-summary')).toHaveText('1 file to replace.', {
      timeout: 120_000,
    });
    await screenshot(page, 'repository-restore-preview');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('I want to restore this now').check();
    await page.getByRole('button', { name: 'Restore now' }).click();
    const restored = page.locator('.restore-wizard').getByTestId('restore-report');
    await expect(restored).toContainText('Restored.', { timeout: 120_000 });
    await expect(restored).toContainText('1 file replaced.');
    await screenshot(page, 'repository-restore-report');
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(original);
  } finally {
    await host.stop();
  }
});
