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

test('the first run refuses / and a home folder, and shows what it found before adopting', async ({
  page,
}) => {
  const base = tempFolder('homes');
  const home = path.join(base, 'home');
  for (const folder of ['Documents', 'Downloads', '.config/app']) {
    fs.mkdirSync(path.join(home, folder), { recursive: true });
  }
  fs.writeFileSync(path.join(home, 'Documents', 'lab-results.log'), 'results\n');
  const photos = path.join(base, 'photos');
  fs.mkdirSync(photos);
  fs.writeFileSync(path.join(photos, 'IMG_0001.jpg'), 'jpg');
  const empty = path.join(base, 'empty');
  fs.mkdirSync(empty);
  const listing = () =>
    [home, photos, empty].map((folder) => fs.readdirSync(folder, { recursive: true }).sort());
  const before = listing();
  // A host whose person's home is the fake one.
  const own = await startHost(null, { env: { HOME: home } });
  try {
    await page.goto(own.url);
    const field = page.getByLabel("The assistant's data folder");
    const open = page.getByRole('button', { name: 'Open this folder' });

    await field.fill('/');
    await open.click();
    await expect(page.getByRole('alert')).toContainText('ROOT_NOT_ALLOWED');
    await expect(page.getByRole('alert')).toContainText('top of a disk');
    await screenshot(page, 'first-run-refused');

    await field.fill(home);
    await open.click();
    await expect(page.getByRole('alert')).toContainText('your home folder');

    await field.fill(photos);
    await open.click();
    const findings = page.getByTestId('folder-findings');
    await expect(findings).toContainText("Is this the assistant's folder?");
    await expect(findings).toContainText('IMG_0001.jpg');
    await expect(findings.getByRole('button', { name: 'Manage this folder' })).toBeVisible();
    await screenshot(page, 'first-run-findings');
    await findings.getByRole('button', { name: 'Choose another folder' }).click();
    await expect(findings).toBeHidden();

    await field.fill(empty);
    await open.click();
    await expect(findings).toContainText('The folder is empty.');
    await expect(
      findings.getByRole('button', { name: 'Create a new data folder here' }),
    ).toBeVisible();

    // Nothing was written into any of them.
    expect(listing()).toEqual(before);
    expect(fs.existsSync('/.tend')).toBe(false);

    // Adopting a folder the person chose, after seeing what was found, opens it.
    await field.fill(photos);
    await open.click();
    await findings.getByRole('button', { name: 'Manage this folder' }).click();
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 60_000 });
    // Managed now, and still nothing of Tend's in it: its state lives in Tend's state folder.
    expect(listing()).toEqual(before);
  } finally {
    await own.stop();
  }
});
