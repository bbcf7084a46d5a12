import fs from 'node:fs';
import path from 'node:path';
import {
  expect,
  makeDemoRoot,
  screenshot,
  startHost,
  tempFolder,
  tend,
  test,
} from './support/tend';
import { sizes } from './support/sizes';

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
    await expect(archival).toContainText('moved out of the hot tier', { timeout: 60_000 });
    await expect(archival).toContainText('Done');
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
    await expect(page.getByTestId('legacy-summary')).toContainText('1 conflict waits');
    await expect(legacy.getByRole('button', { name: 'Migrate (backup first)' })).toBeDisabled();

    // A dry run with the conflict unsettled fails, and says so where it was started.
    await legacy.getByRole('button', { name: 'Dry run' }).click();
    const outcome = legacy.getByTestId('job-outcome');
    await expect(outcome).toContainText('Failed', { timeout: 60_000 });
    await expect(outcome).toContainText('LEGACY_CONFLICT_UNRESOLVED');
    await expect(outcome).toContainText('Choose what happens to each conflicting file');

    // Settled for all: a dry run says what would happen and that nothing changed.
    await page.getByTestId('legacy-resolution').selectOption('keep-both');
    await expect(page.getByTestId('legacy-summary')).toContainText('No conflict waits');
    await legacy.getByRole('button', { name: 'Dry run' }).click();
    await expect(outcome).toContainText('Dry run done: nothing was changed', { timeout: 60_000 });
    await expect(outcome).toContainText('The migration would move 18 files');
    expect(fs.existsSync(path.join(root, 'data'))).toBe(true);
    // Both dry runs are in the run history, started from this page.
    await expect(page.getByTestId('history-table')).toContainText('Started by you');
    await expect(page.getByTestId('history-table')).toContainText(
      'Try the legacy data/ migration (dry run)',
    );
    await screenshot(page, 'maintenance');

    // A double click migrates once: one migration job, one backup first.
    await legacy.getByRole('button', { name: 'Migrate (backup first)' }).dblclick();
    await expect(outcome).toContainText('Migrated', { timeout: 60_000 });
    await expect(outcome).toContainText('It can be undone.');
    const jobs = (await host.api('jobs:list', { limit: 50, kind: 'migration' })).value as {
      jobs: Array<{ title: string }>;
    };
    expect(
      jobs.jobs.filter((j) => j.title === 'Migrate legacy data/ into local_data/'),
    ).toHaveLength(1);
    await expect(legacy.getByRole('button', { name: 'Undo the migration' })).toBeVisible();
    expect(fs.existsSync(path.join(root, 'data'))).toBe(false);
    expect(fs.readFileSync(current, 'utf8')).toBe('the version already in local_data');

    await legacy.getByRole('button', { name: 'Undo the migration' }).click();
    await expect(outcome).toContainText('Migration undone', { timeout: 60_000 });
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
    await expect(records.getByTestId('job-outcome')).toContainText('Exported');
    await expect(records.getByTestId('job-outcome')).toContainText('records');
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

test('Maintenance: Refresh plans the legacy migration again', async ({ page }) => {
  const root = makeDemoRoot(6);
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#maintenance`);
    const summary = page.getByTestId('legacy-summary');
    await expect(summary).toContainText('18 files');
    // A file appears in data/ behind the page's back.
    fs.writeFileSync(path.join(root, 'data/logs/late.log'), 'written after the page opened\n');
    await page.getByRole('button', { name: 'Refresh' }).first().click();
    await expect(summary).toContainText('19 files');
  } finally {
    await host.stop();
  }
});

for (const size of sizes) {
  test(`Maintenance at ${size.name}: the scheduled jobs show every column, named in words`, async ({
    page,
  }) => {
    const root = makeDemoRoot(7);
    tend([
      'settings',
      'set',
      '--root',
      root,
      `backup.destination=${JSON.stringify(path.join(tempFolder('dest'), 'b'))}`,
    ]);
    const host = await startHost(root);
    try {
      await page.setViewportSize(size);
      await page.goto(`${host.url}#maintenance`);
      const table = page.getByTestId('schedule-table');
      await expect(table).toContainText('Daily critical backup');
      // No raw schedule ids: every job has a name.
      await expect(table).not.toContainText('backup:daily-critical');
      await expect(table).not.toContainText('usage-daily-scan');
      // Nothing is cut off: the table fits its panel and every button is inside the window.
      const overflow = await page.evaluate(() => {
        const wrap = document.querySelector('.schedule-table')!.parentElement!;
        const buttons = Array.from(document.querySelectorAll('.schedule-table button'));
        return {
          table: wrap.scrollWidth - wrap.clientWidth,
          buttons: buttons.filter((b) => b.getBoundingClientRect().right > window.innerWidth)
            .length,
        };
      });
      expect(overflow).toEqual({ table: 0, buttons: 0 });
      await screenshot(page, `maintenance-${size.name}`);
    } finally {
      await host.stop();
    }
  });
}
