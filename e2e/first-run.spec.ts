import fs from 'node:fs';
import path from 'node:path';
import { expect, screenshot, startHost, tempFolder, test, type TendHost } from './support/tend';

let host: TendHost;

test.beforeAll(async () => {
  host = await startHost(null);
});

test.afterAll(async () => {
  await host.stop();
});

test('with no data folder, the first run explains bad paths and writes a demo folder', async ({
  page,
}) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Tend' })).toBeVisible();
  await screenshot(page, 'first-run');

  const field = page.getByLabel("The assistant's data folder");
  await field.fill('/no/such/folder');
  await page.getByRole('button', { name: 'Open this folder' }).click();
  await expect(page.getByRole('alert')).toContainText('ROOT_NOT_FOUND');

  const file = path.join(tempFolder('file'), 'a-file');
  fs.writeFileSync(file, 'x');
  await field.fill(file);
  await page.getByRole('button', { name: 'Open this folder' }).click();
  await expect(page.getByRole('alert')).toContainText('ROOT_NOT_DIRECTORY');
  await screenshot(page, 'first-run-error');

  const target = path.join(tempFolder('demo'), 'assistant');
  await field.fill(target);
  await page.getByRole('button', { name: 'Try it with demo data here' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText(target).first()).toBeVisible();
  expect(fs.existsSync(path.join(target, 'local_data/internal_assistant/assistant.db'))).toBe(true);
});
