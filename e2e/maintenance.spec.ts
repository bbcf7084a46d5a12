import fs from 'node:fs';
import path from 'node:path';
import { expect, makeDemoRoot, screenshot, startHost, test } from './support/tend';

test('Maintenance: every schedule is listed and steerable; the legacy migration is previewed, applied and undone', async ({
  page,
}) => {
  const root = makeDemoRoot(5);
  // One legacy upload also exists, with other content, in the new layout: a conflict.
  const uploads = path.join(root, 'data/uploads');
  const entity = fs.readdirSync(uploads)[0]!;
  const name = fs.readdirSync(path.join(uploads, entity))[0]!;
  const current = path.join(root, 'local_data/internal_assistant/documents', entity, name);
  fs.mkdirSync(path.dirname(current), { recursive: true });
  fs.writeFileSync(current, 'the version already in local_data');
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#maintenance`);
    await expect(page.getByRole('heading', { name: 'Maintenance' })).toBeVisible();

    // Schedules of other domains show up beside the maintenance ones.
    const archival = page.getByTestId('schedule-maintenance.archival');
    await expect(archival).toContainText('Daily at 04:30');
    await expect(page.getByTestId('schedule-table').locator('tbody tr')).not.toHaveCount(0);

    // Run now: the archival runs and reports what it changed, in the row and the history.
    await archival.getByRole('button', { name: 'Run now' }).click();
    await expect(archival).toContainText('rows archived', { timeout: 60_000 });
    await expect(archival).toContainText('succeeded');
    await expect(page.getByTestId('history-table')).toContainText('Run now');
    await expect(page.getByTestId('tiers')).toContainText(/Warm: days of aggregates\s*\d+/);

    // Pause survives a reload.
    await archival.getByRole('button', { name: 'Pause' }).click();
    await expect(archival.getByRole('button', { name: 'Resume' })).toBeVisible();
    await page.reload();
    await expect(archival.getByRole('button', { name: 'Resume' })).toBeVisible();
    await archival.getByRole('button', { name: 'Resume' }).click();
    await expect(archival.getByRole('button', { name: 'Pause' })).toBeVisible();

    // The legacy migration: the conflict waits for a choice, the migrate button with it.
    const legacy = page.getByTestId('legacy-panel');
    await expect(page.getByTestId('legacy-summary')).toContainText('1 conflict(s) wait');
    await expect(legacy.getByRole('button', { name: 'Migrate (backup first)' })).toBeDisabled();
    await page.getByTestId('legacy-resolution').selectOption('keep-both');
    await expect(page.getByTestId('legacy-summary')).toContainText('No conflict waits');
    await screenshot(page, 'maintenance');
    await legacy.getByRole('button', { name: 'Migrate (backup first)' }).click();
    await expect(legacy.getByRole('button', { name: 'Undo the migration' })).toBeVisible({
      timeout: 60_000,
    });
    expect(fs.existsSync(path.join(root, 'data'))).toBe(false);
    expect(fs.readFileSync(current, 'utf8')).toBe('the version already in local_data');

    await legacy.getByRole('button', { name: 'Undo the migration' }).click();
    // Back in data/: the preview (still with "keep both" chosen) offers the migration again.
    await expect(legacy.getByTestId('legacy-summary')).toContainText('18 files', {
      timeout: 60_000,
    });
    expect(fs.existsSync(path.join(uploads, entity, name))).toBe(true);

    // Export chat sessions as CSV; an import of a bad file names the line.
    const records = page.getByRole('region', { name: 'Export and import records' });
    const out = path.join(path.dirname(root), 'chats.csv');
    await records.getByLabel('Format').selectOption('csv');
    await records.getByLabel('File').fill(out);
    await records.getByRole('button', { name: 'Export' }).click();
    await expect(page.getByTestId('records-result')).toContainText('records');
    expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toContain('session_id');
    const bad = path.join(path.dirname(root), 'bad.jsonl');
    fs.writeFileSync(
      bad,
      '{"id":"x","collection_id":null,"title":"t","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","messages":[]}\n{"id":"y"}\n',
    );
    await records.getByLabel('Format').selectOption('jsonl');
    await records.getByLabel('File').fill(bad);
    await records.getByRole('button', { name: 'Import' }).click();
    await expect(records.getByRole('alert')).toContainText('line 2');
  } finally {
    await host.stop();
  }
});
