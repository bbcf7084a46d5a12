import fs from 'node:fs';
import path from 'node:path';
import { expect, screenshot, startHost, tempFolder, tend, test } from './support/tend';

/** The seed-002 demo (entity-rag), its backup, and one entity to break. */
function entityRagRootWithBackup(seed: number) {
  const root = path.join(tempFolder('entity-rag'), 'rag');
  tend(['demo', '--profile', 'entity-rag', '--root', root, '--seed', String(seed)]);
  const destination = path.join(tempFolder('dest'), 'backups');
  tend(['settings', 'set', '--root', root, `backup.destination=${JSON.stringify(destination)}`]);
  const backup = JSON.parse(tend(['backup', 'create', '--root', root, '--json'])) as {
    id: string;
  };
  const entities = JSON.parse(
    fs.readFileSync(path.join(root, 'data/api_storage/entities.json'), 'utf8'),
  ) as Record<string, { entity_id: string; entity_name: string; documents: unknown[] }>;
  const entity = Object.values(entities).find((candidate) => candidate.documents.length > 0)!;
  return { root, backupId: backup.id, id: entity.entity_id, name: entity.entity_name };
}

test('Restore: one entity of an entity-scoped RAG folder, its FAISS index and uploads back', async ({
  page,
}) => {
  const { root, backupId, id, name } = entityRagRootWithBackup(4);
  const index = path.join(root, 'data/entity_scoped/entities', id, 'vector_store/index.faiss');
  const original = fs.readFileSync(index);
  const uploads = path.join(root, 'data/uploads', id);
  const lost = path.join(uploads, fs.readdirSync(uploads).sort()[0]!);
  const lostBytes = fs.readFileSync(lost);
  // The index cut short, an upload deleted.
  fs.truncateSync(index, 200);
  fs.rmSync(lost);

  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#restore`);
    await expect(page.getByRole('heading', { name: 'Restore', exact: true })).toBeVisible();
    await page.getByRole('radio', { name: new RegExp(backupId) }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    // What: one entity, chosen by its name.
    await expect(page.getByRole('heading', { name: 'What to restore' })).toBeFocused();
    await page.getByRole('radio', { name: /One entity/ }).check();
    // Its words, not the native assistant's: no collections to offer.
    await expect(page.getByRole('radio', { name: /One collection/ })).toHaveCount(0);
    await page.getByRole('radio', { name: new RegExp(name) }).check();
    await screenshot(page, 'entity-restore-choice');
    await page.getByRole('button', { name: 'Preview' }).click();

    // The preview: the index replaced, the upload back, nothing else.
    const plan = page.getByTestId('restore-plan');
    await expect(page.getByTestId('restore-plan-summary')).toHaveText(
      '1 file to replace, 1 to bring back; 5 files look identical and are left alone.',
    );
    await expect(plan).not.toContainText('cannot go ahead');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('I want to restore this now').check();
    await page.getByRole('button', { name: 'Restore now' }).click();

    const report = page.locator('.restore-wizard').getByTestId('restore-report');
    await expect(report).toContainText('Restored.', { timeout: 60_000 });
    await expect(report).toContainText(`FAISS index of ${id}`);
    await screenshot(page, 'entity-restore-report');
    expect(fs.readFileSync(index).equals(original)).toBe(true);
    expect(fs.readFileSync(lost).equals(lostBytes)).toBe(true);
  } finally {
    await host.stop();
  }
});
