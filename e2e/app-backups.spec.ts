/**
 * A memory-system folder (seed 001) in the app: the Backups page lists the backups the system
 * made itself under "Made by the assistant", and Import brings one into the history, where it
 * then says which backup it became.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, screenshot, startHost, tempFolder, tend, test } from './support/tend';

test('the memory system’s own backups are listed, and one is imported into the history', async ({
  page,
}) => {
  const root = path.join(tempFolder('memsys'), 'data');
  tend(['demo', '--profile', 'memory-system', '--root', root, '--size', 'small', '--seed', '1']);
  const destination = path.join(tempFolder('dest'), 'backups');
  fs.mkdirSync(destination, { recursive: true });
  tend(['settings', 'set', '--root', root, `backup.destination=${JSON.stringify(destination)}`]);
  const own = fs.readdirSync(path.join(root, 'backups')).sort();
  expect(own).toHaveLength(3);
  const newest = own.at(-1)!;
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#backups`);
    const panel = page.getByTestId('app-backups');
    await expect(panel.getByRole('heading', { name: 'Made by the assistant' })).toBeVisible();
    await expect(panel.locator('tbody tr')).toHaveCount(3);
    await expect(panel).toContainText('the memory system');
    await screenshot(page, 'app-backups');

    await panel.getByRole('button', { name: `Import ${newest}` }).click();
    const row = panel.locator('tbody tr', { hasText: newest });
    await expect(row).toContainText(/as tend-\d{8}-\d{6}-full/, { timeout: 60_000 });
    await expect(panel.getByRole('button', { name: `Import ${newest}` })).toHaveCount(0);
    const rows = page.getByTestId('backups-table').locator('tbody tr');
    await expect(rows).toHaveCount(1, { timeout: 60_000 });
    expect(fs.readdirSync(destination).filter((name) => name.endsWith('.tar.gz'))).toHaveLength(1);
  } finally {
    await host.stop();
  }
});
