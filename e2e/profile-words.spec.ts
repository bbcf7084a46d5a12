/**
 * An entity-scoped RAG folder (seed 002) in the app's pages, in its own words: the Overview
 * names its profile and lists its stores' checks, the Indexes page is its "Stores", the Restore
 * page offers one entity (never a collection), and a FAISS index cut short is offered back
 * from the backup that holds it, the wizard opened on that entity.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, screenshot, startHost, tempFolder, tend, test } from './support/tend';

test('an entity-rag folder: its words on every page, and a damaged index restored from the Stores panel', async ({
  page,
}) => {
  const root = path.join(tempFolder('words'), 'rag');
  tend(['demo', '--profile', 'entity-rag', '--root', root, '--seed', '5']);
  const destination = path.join(tempFolder('dest'), 'backups');
  tend(['settings', 'set', '--root', root, `backup.destination=${JSON.stringify(destination)}`]);
  const backup = JSON.parse(tend(['backup', 'create', '--root', root, '--json'])) as { id: string };
  const entities = JSON.parse(
    fs.readFileSync(path.join(root, 'data/api_storage/entities.json'), 'utf8'),
  ) as Record<string, { entity_id: string; entity_name: string; documents: unknown[] }>;
  const entity = Object.values(entities).find((candidate) => candidate.documents.length > 0)!;
  const index = path.join(
    root,
    'data/entity_scoped/entities',
    entity.entity_id,
    'vector_store/index.faiss',
  );
  const original = fs.readFileSync(index);
  fs.truncateSync(index, 200);

  const host = await startHost(root);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('overview-profile')).toHaveText('Entity-scoped RAG API');
    const panel = page.getByTestId('store-checks');
    await expect(panel.getByTestId('store-checks-headline')).toContainText('is damaged', {
      timeout: 60_000,
    });
    const damaged = panel.locator(
      `[data-testid="store-check-entity-index"][data-path*="/${entity.entity_id}/"]`,
    );
    await expect(damaged).toContainText('Damaged');
    await expect(damaged.locator('[data-code="FAISS_TRUNCATED"]')).toBeVisible();
    await expect(damaged).toContainText(`${backup.id}`);
    await screenshot(page, 'entity-rag-overview-stores');

    // The Indexes page is the profile's "Stores", in its words.
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('button', { name: 'Stores' }).click();
    await expect(page.getByRole('heading', { name: 'Stores', exact: true })).toBeVisible();
    await expect(page.getByText(/^The RAG API’s stores — /)).toBeVisible();
    await screenshot(page, 'entity-rag-stores');

    // The Restore page speaks of entities, never of collections.
    await nav.getByRole('button', { name: 'Restore' }).click();
    const intro = page.getByText(/^Bring back everything/);
    await expect(intro).toContainText('one entity');
    await expect(intro).not.toContainText('collection');
    await screenshot(page, 'entity-rag-restore');

    // "Restore from backup…" opens the wizard on the backup, the entity chosen.
    await nav.getByRole('button', { name: 'Overview' }).click();
    await damaged.getByRole('button', { name: 'Restore from backup…' }).click();
    await expect(page.getByRole('heading', { name: 'What to restore' })).toBeVisible();
    await expect(page.getByRole('radio', { name: /One entity/ })).toBeChecked();
    await expect(page.getByRole('radio', { name: new RegExp(entity.entity_name) })).toBeChecked();
    await expect(page.getByRole('radio', { name: /One collection/ })).toHaveCount(0);
    await screenshot(page, 'entity-rag-restore-offered');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('restore-plan-summary')).toContainText('1 file to replace');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText('Stop the RAG API before you start.')).toBeVisible();
    await page.getByLabel('I want to restore this now').check();
    await page.getByRole('button', { name: 'Restore now' }).click();
    const report = page.locator('.restore-wizard').getByTestId('restore-report');
    await expect(report).toContainText('Restored.', { timeout: 60_000 });
    expect(fs.readFileSync(index).equals(original)).toBe(true);
  } finally {
    await host.stop();
  }
});
