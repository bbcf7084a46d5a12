import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';
import { tempDir, writeFile } from '../../support/temp-dir';
import { stateOfRoot } from '../../support/root-state';

/** A root with a backup destination, made by an engine that runs no schedules. */
async function rootWithDestination() {
  const base = tempDir();
  const root = path.join(base, 'root');
  const dest = path.join(base, 'dest');
  fs.mkdirSync(dest);
  const setup = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await setup.call('root:create', { path: root });
  writeFile(path.join(root, 'config/settings.yaml'), 'model: mini\n');
  const settings = await setup.call('settings:get');
  settings.backup.destination = dest;
  await setup.call('settings:set', { settings });
  await setup.close();
  return { base, root, dest };
}

describe('Engine schedules', () => {
  it('catches up a backup missed while Tend was not running, once, when schedules run', async () => {
    const { base, root, dest } = await rootWithDestination();
    // The daily backup last ran three days ago: one run is owed, not three.
    const catalog = new Database(stateOfRoot(path.join(path.dirname(root), 'state'), root).catalog);
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString();
    catalog
      .prepare(
        `INSERT INTO schedule_runs (schedule_id, last_run_at) VALUES ('backup:daily-critical', ?)
         ON CONFLICT(schedule_id) DO UPDATE SET last_run_at = excluded.last_run_at`,
      )
      .run(threeDaysAgo);
    catalog.close();

    const engine = await Engine.start({
      appStateDir: path.join(base, 'state'),
      root,
      schedules: true,
    });
    const backups = engine.requireSession().jobs.list(10, 'backup');
    expect(backups).toHaveLength(1);
    const done = await engine.requireSession().jobs.wait(backups[0]!.id);
    expect(done.state).toBe('succeeded');
    expect(fs.readdirSync(dest).filter((name) => name.endsWith('-critical.tar.gz'))).toHaveLength(
      1,
    );
    await engine.close();
  });

  it('runs nothing by itself in an engine without schedules (a one-shot CLI command)', async () => {
    const { base, root } = await rootWithDestination();
    const catalog = new Database(stateOfRoot(path.join(path.dirname(root), 'state'), root).catalog);
    catalog
      .prepare(`INSERT OR REPLACE INTO schedule_runs (schedule_id, last_run_at) VALUES (?, ?)`)
      .run('backup:daily-critical', new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString());
    catalog.close();
    const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root });
    expect(engine.requireSession().jobs.list(10, 'backup')).toHaveLength(0);
    await engine.close();
  });
});
