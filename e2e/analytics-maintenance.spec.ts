/**
 * An analytics folder (seed 004's own files) on the Maintenance page: Archive now moves its
 * old months into the seed's monthly tables and the archive, and the page says that the
 * retention policy is the analytics system's own rather than showing an error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, screenshot, startHost, tempFolder, tend, test } from './support/tend';

test('an analytics folder: Archive now moves its old months, and the policy is said to be the app’s', async ({
  page,
}) => {
  const root = path.join(tempFolder('analytics'), 'data');
  tend(['demo', '--profile', 'analytics', '--root', root, '--size', 'small', '--seed', '1']);
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#maintenance`);
    await expect(page.getByRole('heading', { name: 'Maintenance' })).toBeVisible();
    await expect(page.getByTestId('retention-policy-elsewhere')).toContainText(
      'data_retention_policy',
    );
    await expect(page.getByTestId('tiers')).toContainText(/Hot: rows in full detail\s*3,000/);
    // An analytics folder has no assistant.db: no schema card, no sentence cut at a comma.
    await expect(page.getByTestId('tiers')).not.toContainText('Schema of assistant.db');
    await expect(page.getByTestId('tiers')).toContainText(/3,000\s*Since /);
    // Nor the native store's privacy scrub and records export: the archival anonymises here.
    await expect(page.getByTestId('tiers')).not.toContainText('Privacy scrub after');
    await expect(page.getByRole('button', { name: 'Scrub now' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Export and import records' })).toHaveCount(0);
    // The Scheduled jobs list the archival, not the scrub that does not apply here.
    await expect(page.getByTestId('schedule-maintenance.archival')).toBeVisible();
    await expect(page.getByTestId('schedule-maintenance.scrub')).toHaveCount(0);

    await page.getByRole('button', { name: 'Archive now' }).click();
    const outcome = page.getByTestId('job-outcome').first();
    await expect(outcome).toContainText('into the monthly tables and the archive', {
      timeout: 60_000,
    });
    await expect(page.getByTestId('tiers')).not.toContainText(/Hot: rows in full detail\s*3,000/);
    await screenshot(page, 'analytics-maintenance');
    const dumps = path.join(root, 'analytics/archive/data_dumps/user_interactions');
    expect(fs.readdirSync(dumps).length).toBeGreaterThan(0);
  } finally {
    await host.stop();
  }
});
