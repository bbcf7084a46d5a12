import fs from 'node:fs';
import path from 'node:path';
import { expect, demoRootWithBackup, screenshot, startHost, test } from './support/tend';

test('Restore: a single file through the wizard with the keyboard, its report, then undo', async ({
  page,
}) => {
  const { root, backupId } = demoRootWithBackup(5);
  const settingsFile = path.join(root, 'config/settings.yaml');
  const original = fs.readFileSync(settingsFile, 'utf8');
  fs.writeFileSync(settingsFile, 'broken: true\n');
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#restore`);
    await expect(page.getByRole('heading', { name: 'Restore', exact: true })).toBeVisible();

    // 1. The backup, chosen with the keyboard.
    const choice = page.getByRole('radio', { name: new RegExp(backupId) });
    await choice.focus();
    await page.keyboard.press('Space');
    await expect(choice).toBeChecked();
    await page.getByRole('button', { name: 'Next' }).click();

    // 2. What: one file.
    await expect(page.getByRole('heading', { name: 'What to restore' })).toBeFocused();
    await page.getByRole('radio', { name: /Some files or folders/ }).check();
    await page.getByLabel('One path per line').fill('config/settings.yaml');
    await page.getByRole('button', { name: 'Preview' }).click();

    // 3. The preview: one file replaced, nothing refused.
    const plan = page.getByTestId('restore-plan');
    await expect(plan).toContainText('Replaced');
    await expect(plan).not.toContainText('cannot go ahead');
    await screenshot(page, 'restore-preview');
    await page.getByRole('button', { name: 'Next' }).click();

    // 4. Confirm, then it runs.
    const restoreNow = page.getByRole('button', { name: 'Restore now' });
    await expect(restoreNow).toBeDisabled();
    await page.getByLabel('I want to restore this now').check();
    await restoreNow.click();

    // 5. The report with its checks.
    const report = page.getByTestId('restore-report');
    await expect(report).toContainText('Restored.', { timeout: 60_000 });
    await expect(report).toContainText('integrity_check');
    await expect(report).toContainText('a test query returns');
    await screenshot(page, 'restore-report');
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(original);

    // Undo puts the changed file back as it was before the restore.
    await page.getByRole('button', { name: 'Undo this restore' }).click();
    await expect(page.getByRole('button', { name: 'Undo this restore' })).toHaveCount(0, {
      timeout: 60_000,
    });
    await expect.poll(() => fs.readFileSync(settingsFile, 'utf8')).toBe('broken: true\n');
  } finally {
    await host.stop();
  }
});

test('Restore latest backup…: the Backups page opens one confirmation that names the backup', async ({
  page,
}) => {
  const { root, backupId } = demoRootWithBackup(6);
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#backups`);
    await page.getByRole('button', { name: 'Restore latest backup…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore the latest backup?' });
    await expect(dialog).toContainText(backupId);
    await expect(dialog).toContainText('not verified yet');
    await expect(dialog).toContainText('safety snapshot');
    await expect(page).toHaveURL(/#restore$/);
    await screenshot(page, 'restore-latest-dialog');
    // "Newest verified" is a choice of its own; none is verified yet, and the dialog says so.
    await dialog.getByLabel(/Newest verified backup/).check();
    const verified = page.getByRole('dialog', { name: 'Restore the newest verified backup?' });
    await expect(verified.getByTestId('restore-latest-none')).toContainText(
      'No backup has been verified yet',
    );
    await expect(verified.getByRole('button', { name: 'Restore this backup' })).toBeDisabled();
    await verified.getByLabel(/Latest backup/).check();
    await expect(dialog).toContainText(backupId);
    // Escape closes it and nothing happens.
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  } finally {
    await host.stop();
  }
});
