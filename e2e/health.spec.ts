/**
 * The figures people watch (issue 13 item 5) and the stopped-backups banner (issue 15), through
 * `tend serve` in Debian's Chromium: the Health panel on a demo root with a few real backups,
 * a full verification, two scans and archived analytics; the banner once the history is made
 * old; at both window sizes.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HealthFigures } from '../src-shared/models/health';
import type { DailyFigure } from '../src-shared/models/maintenance';
import { sizes } from './support/sizes';
import {
  demoRootWithBackup,
  expect,
  projectDir,
  rootStateDir,
  screenshot,
  startHost,
  tend,
  test,
  type TendHost,
} from './support/tend';

const MIB = 1024 * 1024;
const DAY_MS = 86_400_000;

/** Calls a channel on the host and returns its value, failing the spec on an error. */
async function value<T>(host: TendHost, channel: string, input: unknown = {}): Promise<T> {
  const answer = await host.api(channel, input);
  expect(answer, `${channel} answered`).toMatchObject({ ok: true });
  return answer.value as T;
}

/** The first regular file under a folder, depth first. */
function firstFile(folder: string): string {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isFile()) return full;
    if (entry.isDirectory()) {
      const found = firstFile(full);
      if (found) return found;
    }
  }
  return '';
}

test.describe('the Health panel', () => {
  let host: TendHost;

  test.beforeAll(async () => {
    // Two backups (one by the helper, one full), the full one verified; the interactions spread
    // over the three tiers; then a scan, 4 MiB more in a document, and another scan.
    const { root } = demoRootWithBackup(11);
    tend(['backup', 'create', '--root', root, '--kind', 'full']);
    const [newest] = JSON.parse(tend(['backup', 'list', '--root', root, '--json'])) as Array<{
      id: string;
    }>;
    tend(['backup', 'verify', '--root', root, newest!.id]);
    tend(['archive', 'policy', '--root', root, '--hot', '30', '--warm', '180', '--cold', '3650']);
    tend(['archive', 'run', '--root', root]);
    tend(['usage', '--root', root]);
    const document = firstFile(path.join(root, 'local_data', 'internal_assistant', 'documents'));
    fs.appendFileSync(document, Buffer.alloc(4 * MIB, 'x'));
    tend(['usage', '--root', root]);
    host = await startHost(root);
  });

  test.afterAll(async () => {
    await host.stop();
  });

  for (const size of sizes) {
    test(`shows backup success, the last verified backup, this month's growth and the analytics by tier (${size.name})`, async ({
      page,
    }) => {
      await page.setViewportSize(size);
      await page.goto(host.url);
      const panel = page.getByTestId('health-panel');
      await expect(panel.getByRole('heading', { name: 'Health' })).toBeVisible();

      const figures = await value<HealthFigures>(host, 'health:figures');
      // What the CLI did: two backups by hand, both good, today.
      expect(figures.backupSuccess).toMatchObject({
        runs: 2,
        succeeded: 2,
        manual: 2,
        scheduled: 0,
        rate: 1,
        daysWatched: 1,
        daysWithBackup: 1,
      });
      const success = page.getByTestId('health-success');
      await expect(success.locator('.stat-value')).toHaveText('100%');
      await expect(success).toContainText('2 of 2 backups succeeded');
      await expect(success).toContainText('0 by the schedules, 2 by hand');
      await expect(success).toContainText('A good backup on 1 of 1 day');
      await expect(success).toContainText('Goal: 100%');

      const [newest] = (await value<{ backups: Array<{ id: string }> }>(host, 'backups:list'))
        .backups;
      expect(figures.verification).toMatchObject({
        last: { id: newest!.id, kind: 'full', problem: null },
        newerUnverified: 0,
      });
      const verified = page.getByTestId('health-verified');
      await expect(verified.locator('.stat-value')).toHaveText(/old$/);
      await expect(verified).toContainText('Full backup of');
      await expect(verified).toContainText('Verified');

      // The 4 MiB appended between the two scans, and the SQLite side files (-shm) of the
      // databases the host opened since: nothing else changed this month.
      const irreplaceable = figures.growth.categories.find((c) => c.category === 'irreplaceable')!;
      expect(irreplaceable.deltaBytes).toBeGreaterThanOrEqual(4 * MIB);
      expect(irreplaceable.deltaBytes).toBeLessThan(5 * MIB);
      expect(figures.growth.total.deltaBytes).toBe(
        figures.growth.categories.reduce((sum, c) => sum + c.deltaBytes, 0),
      );
      const growth = page.getByTestId('health-growth');
      await expect(growth.locator('.stat-value')).toHaveText(/^\+4(\.\d)? MiB \(\+\d+(\.\d)?%\)$/);
      await expect(growth).toContainText('when the history begins');
      await expect(page.getByTestId('health-growth-irreplaceable')).toContainText(/\+4(\.\d)? MiB/);
      await expect(page.getByTestId('health-growth-disposable')).toContainText('no change');

      // The chart's legend counts the days each tier answered for, as analytics:daily says.
      const chart = page.getByTestId('analytics-chart');
      for (const [label, days] of [
        ['1 year', 365],
        ['2 years', 730],
      ] as const) {
        await chart.getByRole('button', { name: label }).click();
        await expect(chart.getByRole('button', { name: label })).toHaveAttribute(
          'aria-pressed',
          'true',
        );
        const now = new Date();
        const { days: read } = await value<{ days: DailyFigure[] }>(host, 'analytics:daily', {
          from: new Date(now.getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10),
          to: now.toISOString().slice(0, 10),
        });
        const interactions = read.reduce((sum, day) => sum + day.interactions, 0);
        await expect(page.getByTestId('analytics-totals')).toContainText(
          `${interactions.toLocaleString('en-US')} interactions`,
        );
        for (const tier of ['hot', 'warm', 'cold'] as const) {
          const count = read.filter((day) => day.tier === tier).length;
          expect(count, `${tier} days in ${label}`).toBeGreaterThan(0);
          await expect(page.getByTestId(`analytics-tier-${tier}`)).toContainText(
            `${count.toLocaleString('en-US')} days`,
          );
        }
      }
      await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
      // Nothing is cut off at this size: the page does not scroll sideways.
      const main = page.locator('.main');
      expect(await main.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, `health-${size.name}`);
      // The panel alone, at its width on screen (the window made tall enough to hold it), to
      // read its words in the picture.
      await page.setViewportSize({ width: size.width, height: 1400 });
      await panel.screenshot({
        path: path.join(projectDir, 'e2e-output', 'screenshots', `health-panel-${size.name}.png`),
      });
    });
  }
});

test.describe('the stopped-backups banner', () => {
  for (const size of sizes) {
    test(`says backups stopped once the history is old, and why (${size.name})`, async ({
      page,
    }) => {
      const { root, destination } = demoRootWithBackup(size.width);
      // Three days pass without a backup: every stamp of the history moves back three days.
      const catalog = new Database(path.join(rootStateDir(root), 'catalog.db'));
      const back = (column: string) =>
        `${column} = strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, '-3 days')`;
      catalog.exec(
        `UPDATE jobs SET ${back('created_at')}, ${back('started_at')}, ${back('finished_at')};
         UPDATE backups SET ${back('created_at')}, ${back('finished_at')};`,
      );
      catalog.close();
      const host = await startHost(root);
      try {
        await page.setViewportSize(size);
        await page.goto(host.url);
        const banner = page.getByTestId('backup-stopped-banner');
        await expect(banner).toContainText('No backup for 3 days: no backup has run.');
        await expect(banner).toContainText('Open at login');
        // It sits above everything else on the Overview.
        const bannerBox = (await banner.boundingBox())!;
        const stats = (await page.getByLabel('At a glance').boundingBox())!;
        expect(bannerBox.y).toBeLessThan(stats.y);
        // The Health panel says the same in its figures: one good day of the last three.
        await expect(page.getByTestId('health-success')).toContainText(
          'A good backup on 1 of 3 days',
        );
        await expect(page.getByTestId('health-success').locator('.stat-value')).toHaveClass(
          /stat-value-warning/,
        );
        await screenshot(page, `backup-stopped-${size.name}`);

        // Open at login is the remedy, and Settings is where it is set.
        await banner.getByRole('button', { name: 'Open Settings' }).click();
        await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
        await expect(page.getByLabel('Open at login')).toBeVisible();

        // The disk is unplugged: the banner names the folder and sends to Settings.
        fs.renameSync(destination, `${destination}-unplugged`);
        await page.getByRole('button', { name: 'Overview' }).click();
        await page.reload();
        await expect(banner).toContainText(`the backup folder ${destination} is missing`);
        await banner.getByRole('button', { name: 'Open Settings' }).click();
        await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
      } finally {
        await host.stop();
      }
    });
  }
});
