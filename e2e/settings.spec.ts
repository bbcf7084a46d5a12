import { expect, makeDemoRoot, screenshot, startHost, test, type TendHost } from './support/tend';

let host: TendHost;

test.beforeAll(async () => {
  host = await startHost(makeDemoRoot(2));
});

test.afterAll(async () => {
  await host.stop();
});

test('Settings shows the defaults, refuses bad values under their fields, and saves good ones', async ({
  page,
}) => {
  await page.goto(`${host.url}#settings`);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  const daily = page.getByLabel('Daily backups kept');
  await expect(daily).toHaveValue('7');
  await screenshot(page, 'settings');

  await daily.fill('-3');
  await page.getByLabel('Critical backup').fill('every night');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(daily).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#setting-retentionDaily-message')).toBeVisible();
  await expect(page.locator('#setting-scheduleCritical-message')).toContainText('cron');
  await screenshot(page, 'settings-invalid');

  // The engine checks schedules with croner too: an hour of 25 passes the pattern, not croner.
  await daily.fill('10');
  await page.getByLabel('Critical backup').fill('0 25 * * *');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('#setting-scheduleCritical-message')).toContainText(
    'Not a schedule Tend can run',
  );

  await page.getByLabel('Critical backup').fill('30 2 * * *');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  const saved = await host.api('settings:get');
  expect(saved).toMatchObject({
    ok: true,
    value: { backup: { retention: { daily: 10 }, schedules: { critical: '30 2 * * *' } } },
  });
  await page.reload();
  await expect(page.getByLabel('Daily backups kept')).toHaveValue('10');
});
