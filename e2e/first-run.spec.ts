import fs from 'node:fs';
import path from 'node:path';
import {
  expect,
  screenshot,
  startHost,
  tempFolder,
  tend,
  test,
  type TendHost,
} from './support/tend';

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
    await expect(findings).toContainText('Not an assistant folder');
    await expect(findings).toContainText('Nothing of any profile Tend knows was found.');
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

test('the first run detects the profile, shows its stores and scopes, lets the person choose another, and asks before adopting', async ({
  page,
}) => {
  const root = path.join(tempFolder('rag'), 'rag-api');
  tend(['demo', '--profile', 'entity-rag', '--root', root, '--size', 'small', '--seed', '1']);
  // The entities as the profile lists them: those entities.json names, and any folder left of
  // another (uploads of an entity no longer listed).
  const ids = new Set<string>();
  const named = JSON.parse(
    fs.readFileSync(path.join(root, 'data/api_storage/entities.json'), 'utf8'),
  ) as unknown;
  for (const id of Array.isArray(named)
    ? named.map((entity) => (entity as { id: string }).id)
    : Object.keys(named as Record<string, unknown>))
    ids.add(id);
  for (const folder of ['data/uploads', 'data/entity_scoped/entities']) {
    for (const name of fs.readdirSync(path.join(root, folder))) ids.add(name);
  }
  const entityCount = ids.size;
  const listing = () => (fs.readdirSync(root, { recursive: true }) as string[]).sort();
  const before = listing();
  // A host with its own state: the folder is new to it.
  const own = await startHost(null);
  try {
    await page.goto(own.url);
    await page.getByLabel("The assistant's data folder").fill(root);
    await page.getByRole('button', { name: 'Open this folder' }).click();

    const survey = page.getByTestId('folder-survey');
    await expect(survey).toContainText('Detected: Entity-scoped RAG API');
    await expect(survey.getByTestId('survey-confidence')).toContainText('detected');
    await expect(survey.getByTestId('survey-store-entity-index')).toBeVisible();
    const size = survey.getByTestId('survey-store-entity-index').locator('[data-bytes]');
    await expect(size).toHaveText(/^\d+(\.\d+)? (B|KiB|MiB|GiB)$/);
    expect(Number(await size.getAttribute('data-bytes'))).toBeGreaterThan(0);
    await expect(survey.getByTestId('survey-scope-entity')).toContainText(
      `${entityCount} ${entityCount === 1 ? 'entity' : 'entities'}`,
    );
    const select = survey.getByLabel('What kind of folder it is');
    await expect(select).toHaveValue('entity-rag');
    await screenshot(page, 'first-run-detected');
    // Nothing is adopted before the person says so, and nothing was written.
    expect(listing()).toEqual(before);

    // Read as another profile, chosen by hand: Open WebUI's stores are not there.
    await select.selectOption('open-webui');
    await expect(survey).toContainText('Read as Open WebUI');
    await expect(survey.getByTestId('survey-confidence')).toContainText('chosen by hand');
    await expect(survey).toContainText('None of this profile’s stores is in the folder yet.');
    await screenshot(page, 'first-run-chosen-by-hand');

    await select.selectOption('entity-rag');
    await expect(survey).toContainText('Detected: Entity-scoped RAG API');
    await survey.getByRole('button', { name: 'Manage as Entity-scoped RAG API' }).click();
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('overview-profile')).toHaveText('Entity-scoped RAG API');
  } finally {
    await own.stop();
  }
});

test('a folder that matches nothing is no assistant folder, and is read as a profile only when the person chooses one', async ({
  page,
}) => {
  const folder = path.join(tempFolder('notes'), 'notes');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'todo.txt'), 'milk\n');
  const own = await startHost(null);
  try {
    await page.goto(own.url);
    await page.getByLabel("The assistant's data folder").fill(folder);
    await page.getByRole('button', { name: 'Open this folder' }).click();
    const findings = page.getByTestId('folder-findings');
    await expect(findings).toContainText('Not an assistant folder');
    await expect(page.getByTestId('folder-survey')).toBeHidden();
    const select = findings.getByLabel('What kind of folder it is');
    await expect(select).toHaveValue('');
    await screenshot(page, 'first-run-not-assistant');
    await select.selectOption('jan');
    const survey = page.getByTestId('folder-survey');
    await expect(survey).toContainText('Read as Jan');
    await expect(survey.getByTestId('survey-scope-thread')).toContainText('0 threads');
    await survey.getByRole('button', { name: 'Choose another folder' }).click();
    await expect(survey).toBeHidden();
  } finally {
    await own.stop();
  }
});
