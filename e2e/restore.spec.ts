import fs from 'node:fs';
import path from 'node:path';
import { expect, demoRootWithBackup, screenshot, startHost, tend, test } from './support/tend';
import { sizes } from './support/sizes';

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
    await expect(page.getByTestId('restore-plan-summary')).toHaveText('1 file to replace.');
    await expect(plan).not.toContainText('cannot go ahead');
    await screenshot(page, 'restore-preview');
    await page.getByRole('button', { name: 'Next' }).click();

    // 4. Confirm, with the same counts, then it runs.
    await expect(page.getByTestId('restore-confirm-summary')).toContainText('1 file to replace.');
    const restoreNow = page.getByRole('button', { name: 'Restore now' });
    await expect(restoreNow).toBeDisabled();
    await page.getByLabel('I want to restore this now').check();
    await restoreNow.click();

    // 5. The report with its checks, and the same story in the last-restore panel.
    const report = page.locator('.restore-wizard').getByTestId('restore-report');
    await expect(report).toContainText('Restored.', { timeout: 60_000 });
    await expect(report).toContainText('1 file replaced.');
    // A plain file touches no database or index: what was checked is its checksum.
    await expect(report).toContainText(
      "every restored file matched the SHA-256 in the backup's manifest",
    );
    await expect(page.getByTestId('last-restore-summary')).toContainText('1 file replaced.');
    await screenshot(page, 'restore-report');
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(original);

    // Undo puts the changed file back as it was before the restore.
    await page.getByRole('button', { name: 'Undo this restore' }).click();
    await expect(page.getByRole('button', { name: 'Undo this restore' })).toHaveCount(0, {
      timeout: 60_000,
    });
    await expect.poll(() => fs.readFileSync(settingsFile, 'utf8')).toBe('broken: true\n');
    await expect(page.locator('.restore-wizard').getByTestId('restore-report')).toContainText(
      'The last restore was undone.',
    );
  } finally {
    await host.stop();
  }
});

test('Restore: a file that was already identical is said so, with why there is no undo', async ({
  page,
}) => {
  const { root, backupId } = demoRootWithBackup(7);
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#restore`);
    await page.getByRole('radio', { name: new RegExp(backupId) }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Some files or folders/ }).check();
    await page.getByLabel('One path per line').fill('config/settings.yaml');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('restore-plan-summary')).toHaveText(
      'Nothing to change; 1 file looks identical and is left alone.',
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('I want to restore this now').check();
    await page.getByRole('button', { name: 'Restore now' }).click();
    const report = page.locator('.restore-wizard').getByTestId('restore-report');
    await expect(report).toContainText('No file changed; 1 file was identical and left alone.', {
      timeout: 60_000,
    });
    await expect(report.getByTestId('restore-no-undo')).toContainText(
      'Every file was already identical to the backup, so nothing was changed and there is nothing to undo.',
    );
    await expect(page.getByTestId('last-restore-no-undo')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Undo this restore' })).toHaveCount(0);
  } finally {
    await host.stop();
  }
});

test('Restore: a collection restore says the same counts in the preview, the confirmation, the report and the last-restore panel', async ({
  page,
}) => {
  const { root, backupId } = demoRootWithBackup(8);
  // One document of each collection changes after the backup.
  const documents = path.join(root, 'local_data/internal_assistant/documents');
  for (const collection of fs.readdirSync(documents)) {
    const file = fs.readdirSync(path.join(documents, collection)).sort()[0]!;
    fs.appendFileSync(path.join(documents, collection, file), '\nchanged after the backup\n');
  }
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#restore`);
    await page.getByRole('radio', { name: new RegExp(backupId) }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /One collection/ }).check();
    await page.locator('input[name="collection"]').first().check();
    await page.getByRole('button', { name: 'Preview' }).click();
    const planned = await page.getByTestId('restore-plan-summary').innerText();
    const toReplace = Number(/^(\d+) files? to replace/.exec(planned)?.[1]);
    const identical = Number(/(\d+) files? looks? identical/.exec(planned)?.[1] ?? 0);
    expect(toReplace).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('restore-confirm-summary')).toContainText(planned);
    await page.getByLabel('I want to restore this now').check();
    await page.getByRole('button', { name: 'Restore now' }).click();
    const report = page.locator('.restore-wizard').getByTestId('restore-report');
    await expect(report).toContainText('Restored.', { timeout: 60_000 });
    const done = await report.locator('.notice').innerText();
    const replaced = Number(/(\d+) files? replaced/.exec(done)?.[1]);
    const same = Number(/(\d+) files? (was|were) identical/.exec(done)?.[1] ?? 0);
    // What the preview counted as identical by size and time, the restore found identical
    // by SHA-256: the same files, so the same numbers.
    expect(replaced).toBe(toReplace);
    expect(same).toBe(identical);
    const words = done.slice(done.indexOf(': ') + 2);
    await expect(page.getByTestId('last-restore-summary')).toContainText(words);
    await screenshot(page, 'restore-collection-report');
  } finally {
    await host.stop();
  }
});

test('Restore: a reload during a one-click restore finds it running, then shows its report and undo', async ({
  page,
}) => {
  const { root, destination } = demoRootWithBackup(9);
  // A large file makes the restore last long enough to reload the page in the middle.
  const big = path.join(root, 'local_data/internal_assistant/documents/big.bin');
  fs.writeFileSync(big, Buffer.alloc(0));
  fs.truncateSync(big, 1024 ** 3);
  tend(['backup', 'create', '--root', root, '--kind', 'critical']);
  fs.rmSync(big);
  expect(fs.readdirSync(destination).length).toBeGreaterThan(0);
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#restore`);
    await page.getByRole('button', { name: 'Restore latest backup…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore the latest backup?' });
    await dialog.getByRole('button', { name: 'Restore this backup' }).click();
    const progress = page.locator('[data-testid^="job-"]').filter({ hasText: 'Restore tend-' });
    await expect(progress).toBeVisible();

    await page.reload();
    // The page rebuilds from the running job: its progress, and no second one-click restore.
    await expect(progress).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Restore', level: 2 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Restore latest backup…' })).toBeDisabled();
    await screenshot(page, 'restore-running-after-reload');

    // When it ends, its report and the undo come without another reload.
    await expect(page.locator('.restore-wizard').getByTestId('restore-report')).toContainText(
      'Restored.',
      {
        timeout: 120_000,
      },
    );
    await expect(page.getByRole('button', { name: 'Undo this restore' })).toBeVisible();
    expect(fs.statSync(big).size).toBe(1024 ** 3);
  } finally {
    await host.stop();
  }
});

test('Restore: leaving the wizard mid-way and coming back keeps where it was', async ({ page }) => {
  const { root, backupId } = demoRootWithBackup(10);
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#restore`);
    await page.getByRole('radio', { name: new RegExp(backupId) }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Some files or folders/ }).check();
    await page.getByLabel('One path per line').fill('config/settings.yaml');
    await page.getByRole('button', { name: 'Backups', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Backups', exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'What to restore' })).toBeVisible();
    await expect(page.getByLabel('One path per line')).toHaveValue('config/settings.yaml');
    await page.getByRole('button', { name: 'Start over' }).click();
    await expect(page.getByRole('heading', { name: 'Backup', exact: true })).toBeVisible();
  } finally {
    await host.stop();
  }
});

for (const size of sizes) {
  test(`Restore page at ${size.name}: the backup table shows every column`, async ({ page }) => {
    const { root, backupId } = demoRootWithBackup(12);
    const host = await startHost(root);
    try {
      await page.setViewportSize(size);
      await page.goto(`${host.url}#restore`);
      const row = page.getByRole('row').filter({ hasText: backupId });
      await expect(row).toBeVisible();
      const wrap = page.locator('.restore-backups');
      const fits = await wrap.evaluate((element) => element.scrollWidth <= element.clientWidth);
      expect(fits).toBe(true);
      await expect(row.getByText('Not verified yet')).toBeInViewport();
      await screenshot(page, `restore-${size.name}`);
    } finally {
      await host.stop();
    }
  });
}

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
