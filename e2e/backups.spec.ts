import path from 'node:path';
import {
  expect,
  demoRootWithBackup,
  screenshot,
  startHost,
  tempFolder,
  test,
} from './support/tend';
import { sizes } from './support/sizes';

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
    // Where it was started, the page says what the backup wrote.
    const outcome = page.getByTestId('job-outcome');
    await expect(outcome).toContainText('Backed up');
    await expect(outcome).toContainText(
      /\d+ files \([\d.]+ [KMG]iB of data\) into tend-.*-full\.tar\.gz/,
    );
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

    // A second full backup the same day: with 1 daily slot kept, the older full goes, once
    // saved and confirmed.
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    await expect(rows.first()).toContainText('Done', { timeout: 60_000 });
    await retention.getByRole('button', { name: 'Save retention' }).click();
    await expect(preview).toContainText('1 of 2 backups would be deleted');
    await retention.getByRole('button', { name: 'Prune now' }).click();
    await expect(retention).toContainText('Delete 1 backup?');
    await retention.getByRole('button', { name: 'Keep all' }).click();
    await expect(rows).toHaveCount(2);
    await retention.getByRole('button', { name: 'Prune now' }).click();
    await retention.getByRole('button', { name: 'Delete them' }).click();
    await expect(rows).toHaveCount(1, { timeout: 60_000 });
    await expect(preview).toContainText('the one backup stays');
  } finally {
    await host.stop();
  }
});

test('Backups: the destination panel follows a new folder saved in Settings', async ({ page }) => {
  const { root, destination } = demoRootWithBackup(15);
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#backups`);
    const panel = page.getByTestId('backup-destination');
    await expect(panel).toContainText(destination);
    await panel.getByRole('button', { name: 'Change in Settings' }).click();
    const moved = path.join(tempFolder('moved'), 'backups');
    await page.getByLabel('Backup folder').fill(moved);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
    await page.getByRole('button', { name: 'Backups', exact: true }).click();
    await expect(panel).toContainText(moved);
    await expect(panel).not.toContainText(destination);
  } finally {
    await host.stop();
  }
});

for (const size of sizes) {
  test(`Backups at ${size.name}: the history shows every column and its actions`, async ({
    page,
  }) => {
    const { root, backupId } = demoRootWithBackup(16);
    const host = await startHost(root);
    try {
      await page.setViewportSize(size);
      await page.goto(`${host.url}#backups`);
      const row = page.getByTestId(`backup-${backupId}`);
      await expect(row).toContainText('Not verified yet');
      const overflow = await page.evaluate(() => {
        const wrap = document.querySelector('.backups-table')!.parentElement!;
        const cut = Array.from(
          document.querySelectorAll('.backups-table button, .backups-table td'),
        ).filter((element) => element.getBoundingClientRect().right > window.innerWidth);
        return { table: wrap.scrollWidth - wrap.clientWidth, cut: cut.length };
      });
      expect(overflow).toEqual({ table: 0, cut: 0 });
      await expect(row.getByRole('button', { name: 'Verify' })).toBeVisible();
      await screenshot(page, `backups-${size.name}`);
    } finally {
      await host.stop();
    }
  });
}
