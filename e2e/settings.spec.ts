import fs from 'node:fs';
import path from 'node:path';
import {
  expect,
  makeDemoRoot,
  rootStateDir,
  screenshot,
  startHost,
  tempFolder,
  tend,
  test,
  type TendHost,
} from './support/tend';
import { sizes } from './support/sizes';

let host: TendHost;

test.beforeAll(async () => {
  host = await startHost(makeDemoRoot(2));
});

test.afterAll(async () => {
  await host.stop();
});

for (const size of sizes) {
  test(`Settings checks with the engine's rules, says why in words, and focuses the first problem (${size.name})`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await page.goto(`${host.url}#settings`);
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    const daily = page.getByLabel('Daily backups kept');
    await expect(daily).toHaveValue(/\d+/);
    await screenshot(page, `settings-${size.name}`);

    const folder = page.getByLabel('Backup folder');
    const critical = page.getByLabel('Critical backup');
    const save = page.getByRole('button', { name: 'Save settings' });

    // Wrong on the page itself: a relative folder, a negative count, a minute of 61.
    await folder.fill('backups');
    await daily.fill('-3');
    await critical.fill('61 3 * * *');
    await save.click();
    await expect(folder).toBeFocused();
    await expect(folder).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#setting-destination-message')).toContainText('Use a full path');
    await expect(page.locator('#setting-retentionDaily-message')).toHaveText(
      'Type a number from 0 to 365',
    );
    await expect(page.locator('#setting-scheduleCritical-message')).toHaveText(
      'The minute must be from 0 to 59 (“61” was typed).',
    );
    await screenshot(page, `settings-invalid-${size.name}`);

    // A folder inside the data folder, and the hour of 25 croner refuses.
    await folder.fill(path.join(host.root!, 'local_data', 'backups'));
    await daily.fill('10');
    await critical.fill('0 25 * * *');
    await save.click();
    await expect(folder).toBeFocused();
    await expect(page.locator('#setting-destination-message')).toContainText(
      'inside the data folder',
    );
    await expect(page.locator('#setting-scheduleCritical-message')).toContainText(
      'The hour must be from 0 to 23',
    );

    // Only the engine knows the places no backup belongs: /sys is a system folder, refused
    // beside the field by the path gate before the settings rules run.
    await folder.fill('/sys/tend-backups');
    await critical.fill('30 2 * * *');
    await save.click();
    await expect(page.locator('#setting-destination-message')).toContainText('system folder');
    await expect(folder).toBeFocused();
    const before = await host.api('settings:get');

    const destination = path.join(tempFolder('settings-dest'), 'backups');
    await folder.fill(destination);
    await save.click();
    await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
    const saved = await host.api('settings:get');
    expect(saved).toMatchObject({
      ok: true,
      value: {
        revision: (before.value as { revision: number }).revision + 1,
        backup: {
          destination,
          retention: { daily: 10 },
          schedules: { critical: '30 2 * * *' },
        },
      },
    });
    await page.reload();
    await expect(page.getByLabel('Daily backups kept')).toHaveValue('10');
  });
}

test('Settings follows what the command line saves meanwhile, keeping what is typed', async ({
  page,
}) => {
  const root = makeDemoRoot(3);
  const own = await startHost(root);
  try {
    await page.goto(`${own.url}#settings`);
    const logs = page.getByLabel('Keep logs for');
    await expect(logs).toHaveValue('30');
    // The person starts changing "Keep logs for"…
    await logs.fill('14');

    // …while the command line, another process, changes three settings.
    const cliFolder = path.join(tempFolder('cli-dest'), 'backups');
    tend([
      'settings',
      'set',
      '--root',
      root,
      `backup.destination=${JSON.stringify(cliFolder)}`,
      'backup.retention.daily=11',
      'cleanup.logRetentionDays=45',
    ]);

    // The page follows: untouched fields show what was saved, the typed one stays, and the
    // field changed on both sides says what the command line saved.
    await expect(page.getByLabel('Backup folder')).toHaveValue(cliFolder);
    await expect(page.getByLabel('Daily backups kept')).toHaveValue('11');
    await expect(logs).toHaveValue('14');
    await expect(page.getByTestId('clash-logRetentionDays')).toContainText('“45”');
    await expect(page.getByTestId('settings-elsewhere')).toBeVisible();
    await screenshot(page, 'settings-saved-elsewhere');

    // Saved on top of what the command line saved: nothing of it is put back.
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
    const file = path.join(rootStateDir(root), 'settings.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      backup: { destination: cliFolder, retention: { daily: 11 } },
      cleanup: { logRetentionDays: 14 },
    });
  } finally {
    await own.stop();
  }
});

test('Settings follows a save from another window without losing what is typed', async ({
  page,
}) => {
  await page.goto(`${host.url}#settings`);
  const weekly = page.getByLabel('Weekly backups kept');
  await expect(weekly).toHaveValue(/\d+/);
  const current = (await host.api('settings:get')).value as {
    revision: number;
    backup: { retention: { monthly: number } };
  };
  await page.getByLabel('Cache files older than').fill('45');
  // Another window of the same Tend saves: its change arrives as settings:changed.
  const other = await host.api('settings:set', {
    settings: { revision: current.revision, backup: { retention: { weekly: 9 } } },
  });
  expect(other.ok).toBe(true);
  await expect(weekly).toHaveValue('9');
  await expect(page.getByLabel('Cache files older than')).toHaveValue('45');
  await expect(page.getByTestId('settings-elsewhere')).toBeVisible();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
  expect(await host.api('settings:get')).toMatchObject({
    value: { backup: { retention: { weekly: 9 } }, cleanup: { cacheMaxAgeDays: 45 } },
  });
});
