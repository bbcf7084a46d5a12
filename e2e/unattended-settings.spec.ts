/**
 * Settings for backups without anyone watching (issue 15): open at login (automatic, on, off),
 * the battery level scheduled backups wait below, and the warning age, checked with the
 * engine's rules and saved as a patch, through `tend serve` at both window sizes.
 */
import path from 'node:path';
import type { Settings } from '../src-shared/models/settings';
import { sizes } from './support/sizes';
import { expect, makeDemoRoot, screenshot, startHost, tempFolder, test } from './support/tend';

for (const size of sizes) {
  test(`Settings sets open at login, the battery level and the warning age (${size.name})`, async ({
    page,
  }) => {
    const host = await startHost(makeDemoRoot(20 + size.height));
    try {
      const settings = async () => (await host.api('settings:get')).value as Settings;
      await page.setViewportSize(size);
      await page.goto(`${host.url}#settings`);
      await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();

      const login = page.getByLabel('Open at login');
      const battery = page.getByLabel('On battery, scheduled backups wait below');
      const warn = page.getByLabel('Warn when no backup has succeeded for');
      const save = page.getByRole('button', { name: 'Save settings' });
      const hint = page.getByTestId('open-at-login-hint');
      await expect(login).toHaveValue('auto');
      await expect(battery).toHaveValue('30');
      await expect(warn).toHaveValue('48');
      await expect(hint).toContainText(
        'Now off: no backup folder or encrypted repository is chosen yet.',
      );
      // "Automatic" follows the backup folder as it is typed.
      await page.getByLabel('Backup folder').fill(path.join(tempFolder('login-dest'), 'backups'));
      await expect(hint).toContainText('Now on: a backup folder is chosen.');
      await page.getByLabel('Backup folder').fill('');
      await login.scrollIntoViewIfNeeded();
      await screenshot(page, `settings-unattended-${size.name}`);

      // Wrong values are refused in words, under their fields, the first one focused.
      await battery.fill('150');
      await warn.fill('0');
      await save.click();
      await expect(battery).toBeFocused();
      await expect(page.locator('#setting-batteryMinPercent-message')).toHaveText(
        'Type a number from 0 to 100',
      );
      await expect(page.locator('#setting-warnAfterHours-message')).toHaveText(
        'Type a number of hours from 1 to 8760 (a year)',
      );
      await screenshot(page, `settings-unattended-invalid-${size.name}`);
      expect((await settings()).unattended).toEqual({ batteryMinPercent: 30, warnAfterHours: 48 });

      // A warning age the daily schedule would cross every day is allowed, with a word.
      await battery.fill('50');
      await warn.fill('24');
      await expect(page.getByTestId('note-warnAfterHours')).toContainText('up to 24 hours apart');
      await warn.fill('72');
      await expect(page.getByTestId('note-warnAfterHours')).toHaveCount(0);
      await login.selectOption('off');
      await expect(hint).toContainText('backups run only then');
      const before = (await settings()).revision;
      await save.click();
      await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
      expect(await settings()).toMatchObject({
        revision: before + 1,
        app: { openAtLogin: false },
        unattended: { batteryMinPercent: 50, warnAfterHours: 72 },
      });

      // Back to automatic: null again, so the rule decides.
      await login.selectOption('auto');
      await save.click();
      await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
      expect((await settings()).app).toEqual({ openAtLogin: null });
      await page.reload();
      await expect(login).toHaveValue('auto');
      await expect(battery).toHaveValue('50');
      await expect(warn).toHaveValue('72');
    } finally {
      await host.stop();
    }
  });
}
