import { expect, test } from './support/tend';

test('the web host refuses calls without the token and from a foreign Host', async ({
  demoHost,
}) => {
  const noToken = await fetch(`${demoHost.origin}/api/root:info`, { method: 'POST', body: '{}' });
  expect(noToken.status).toBe(401);
  expect(await noToken.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

  const bad = await demoHost.api('settings:set', { settings: { backup: { retention: 'x' } } });
  expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('a page opened without its token says what to do', async ({ page, demoHost }) => {
  await page.goto(demoHost.origin);
  await expect(page.getByRole('alert')).toContainText('UNAUTHORIZED');
});
