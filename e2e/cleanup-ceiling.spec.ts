import fs from 'node:fs';
import path from 'node:path';
import { expect, screenshot, startHost, tempFolder, tend, test } from './support/tend';

test('a cleanup of most of the folder asks again, naming the numbers, before it deletes', async ({
  page,
}) => {
  // A new data folder whose old logs are most of it.
  const root = path.join(tempFolder('ceiling'), 'assistant');
  tend(['init', root]);
  const old = new Date(Date.now() - 400 * 24 * 60 * 60 * 1000);
  const logs = ['app-1.log', 'app-2.log', 'app-3.log'].map((name) => {
    const file = path.join(root, 'local_data', 'logs', name);
    fs.writeFileSync(file, 'log line\n'.repeat(5000));
    fs.utimesSync(file, old, old);
    return file;
  });
  const host = await startHost(root);
  try {
    await page.goto(host.url);
    const row = page.getByTestId('reclaim-logs');
    await expect(row).toContainText('files');
    await row.getByRole('button', { name: 'Clean up…' }).click();
    const dialog = page.getByRole('dialog');
    const ceiling = dialog.getByTestId('cleanup-ceiling');
    await expect(ceiling).toContainText('This is a large cleanup.');
    await expect(ceiling).toContainText(/\d+(\.\d+)?% of the data folder/);
    await expect(ceiling).toContainText('more than the 50%');
    await expect(ceiling).toContainText('of the data folder (');
    const confirm = dialog.getByRole('button', { name: /^Delete 3 files/ });
    await expect(confirm).toBeDisabled();
    await screenshot(page, 'usage-cleanup-ceiling');
    expect(logs.every((file) => fs.existsSync(file))).toBe(true);

    await ceiling.getByRole('checkbox').check();
    await confirm.click();
    await expect(dialog).toBeHidden();
    await expect
      .poll(() => logs.filter((file) => fs.existsSync(file)).length, { timeout: 60_000 })
      .toBe(0);
  } finally {
    await host.stop();
  }
});
