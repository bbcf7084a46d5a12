import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, makeDemoRoot, screenshot, startHost, test } from './support/tend';

/** `du` of the root without Tend's own `.tend/`: apparent (-b) or allocated (-B1). */
function du(root: string, flag: '-sb' | '-sB1'): number {
  const size = (target: string) =>
    Number(execFileSync('du', [flag, target], { encoding: 'utf8' }).split('\t')[0]);
  const tend = path.join(root, '.tend');
  return size(root) - (fs.existsSync(tend) ? size(tend) : 0);
}

test('the folder map matches du, drills into a folder and lists its largest files', async ({
  page,
  demoHost,
}) => {
  await page.goto(demoHost.url);
  const total = page.getByTestId('usage-map-total');
  await expect(total).toHaveAttribute('data-bytes', /\d+/);
  const root = demoHost.root!;
  expect(Number(await total.getAttribute('data-bytes'))).toBe(du(root, '-sb'));
  expect(Number(await total.getAttribute('data-allocated'))).toBe(du(root, '-sB1'));

  const map = page.getByTestId('usage-map');
  // The tile's header strip opens it (its middle is covered by its own subfolders).
  await map.getByRole('button', { name: /^local_data:/ }).click({ position: { x: 12, y: 6 } });
  await expect(map.getByRole('navigation', { name: 'Folder' })).toContainText('local_data');
  await expect(map.getByRole('button', { name: /^internal_assistant:/ })).toBeVisible();
  await expect(map.locator('.usage-largest')).toContainText('internal_assistant/assistant.db');
  await screenshot(page, 'usage-map');

  await map.getByRole('button', { name: 'Data folder' }).click();
  await expect(map.getByRole('button', { name: /^local_data:/ })).toBeVisible();
  await expect(page.getByTestId('usage-growth')).toBeVisible();
});

test('cleaning up old logs deletes exactly the files the preview listed', async ({ page }) => {
  const host = await startHost(makeDemoRoot(2));
  try {
    const root = host.root!;
    const listAll = () =>
      (fs.readdirSync(root, { recursive: true }) as string[])
        .map((p) => p.split(path.sep).join('/'))
        .filter((p) => !p.startsWith('.tend') && fs.lstatSync(path.join(root, p)).isFile())
        .sort();

    await page.goto(host.url);
    const row = page.getByTestId('reclaim-logs');
    await expect(row).toContainText('files');
    await row.getByRole('button', { name: 'Clean up…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('cleanup-total')).toBeVisible();
    const listed = await dialog.locator('tbody td.cleanup-path').allTextContents();
    expect(listed.length).toBeGreaterThan(10);
    for (const file of listed) expect(fs.existsSync(path.join(root, file))).toBe(true);
    await screenshot(page, 'usage-cleanup-preview');

    const before = listAll();
    await dialog.getByRole('button', { name: /^Delete \d+ files/ }).click();
    await expect(dialog).toBeHidden();
    await expect
      .poll(() => listed.filter((file) => fs.existsSync(path.join(root, file))).length, {
        timeout: 60_000,
      })
      .toBe(0);
    const after = listAll();
    expect(before.filter((file) => !after.includes(file)).sort()).toEqual([...listed].sort());
    expect(after.filter((file) => !before.includes(file))).toEqual([]);
  } finally {
    await host.stop();
  }
});
