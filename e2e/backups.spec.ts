import { expect, demoRootWithBackup, screenshot, startHost, test } from './support/tend';

test('Backups: back up now, see it in the history, verify, preview retention, delete', async ({
  page,
}) => {
  // One backup from the CLI first, so the page opens on a history.
  const { root, destination, backupId: firstId } = demoRootWithBackup(4);
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#backups`);
    await expect(page.getByRole('heading', { name: 'Backups', exact: true })).toBeVisible();
    const destinationPanel = page.getByTestId('backup-destination');
    await expect(destinationPanel).toContainText(destination);
    await expect(destinationPanel).toContainText('free of');
    // The temp folders share the data's disk: the page says so.
    await expect(page.getByTestId('same-disk-warning')).toBeVisible();
    await expect(page.getByTestId(`backup-${firstId}`)).toContainText('Done');

    // Back up now (full): the new backup lands in the history.
    await page.getByLabel('Kind of backup').selectOption('full');
    await page.getByRole('button', { name: 'Back up now' }).click();
    const rows = page.getByTestId('backups-table').locator('tbody tr');
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    await expect(rows.first()).toContainText('Full');
    await expect(rows.first()).toContainText('Done', { timeout: 60_000 });
    // The retention preview follows the history by itself: both backups, each with its kind.
    const preview = page.getByTestId('prune-preview');
    await expect(preview.locator('li')).toHaveCount(2);
    await expect(preview).toContainText('all 2 backups stay');
    await expect(preview.locator('li').first()).toContainText('Full');

    // Verify the first one.
    const firstRow = page.getByTestId(`backup-${firstId}`);
    await firstRow.getByRole('button', { name: 'Verify' }).click();
    await expect(firstRow).toContainText('Verified', { timeout: 60_000 });

    // Retention: keep 1 daily and nothing else; the preview lists what would go and why.
    const retention = page.getByTestId('backup-retention');
    await retention.getByLabel('Daily').fill('1');
    await retention.getByLabel('Weekly').fill('0');
    await retention.getByLabel('Monthly').fill('0');
    await retention.getByRole('button', { name: 'Preview' }).click();
    // The verified one stays (newest verified), the full one is the newest of its kind: each
    // kind has its own slots, so nothing goes.
    await expect(preview).toContainText('newest verified backup (always kept)');
    await expect(preview).toContainText('newest full backup');
    await screenshot(page, 'backups');

    // Delete the older one.
    await firstRow.getByRole('button', { name: `Delete ${firstId}` }).click();
    await firstRow.getByRole('button', { name: 'Delete it' }).click();
    await expect(rows).toHaveCount(1);
  } finally {
    await host.stop();
  }
});
