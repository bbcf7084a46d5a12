/**
 * The analytics profile (seed 004's own two databases): detected on its demo and on nothing
 * else, both tiers checked for SQLite's soundness and the seed's tables, each fault named with
 * what to do, and the folder backed up (a change still in the WAL included) and restored
 * exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ProfileInfoSchema } from '../../../../../src-shared/models/profiles';
import { analyticsProfile } from '../../../../../src-main/engine/profiles/analytics/analytics-profile';
import { describeProfile, detectProfile } from '../../../../../src-main/engine/profiles/registry';
import { tempDir, writeFile } from '../../../../support/temp-dir';
import { profileDemoFixture, reportOf } from '../support/seed-profile-engine';

const hot = 'analytics/comprehensive_metrics.db';
const warm = 'analytics/historical_metrics.db';

async function instanceOf(root: string, storeId: string) {
  const store = analyticsProfile.stores.find((candidate) => candidate.id === storeId)!;
  const [found] = await store.instances(root);
  if (!found) throw new Error(`no instance of ${storeId}`);
  return found;
}

describe('the analytics profile', () => {
  it('is described with its three tiers, all irreplaceable', () => {
    const info = ProfileInfoSchema.parse(describeProfile(analyticsProfile));
    expect(info.stores.map((s) => [s.id, s.kind, s.category])).toEqual([
      ['hot-db', 'sqlite', 'irreplaceable'],
      ['historical-db', 'sqlite', 'irreplaceable'],
      ['archive', 'files', 'irreplaceable'],
    ]);
    expect(info.dataLocation.map((location) => location.kind)).toEqual(['none']);
  });

  it('detects its demo; an empty folder, a home folder and the other seed folders are not its', async () => {
    const fixture = await profileDemoFixture('analytics');
    expect((await detectProfile(fixture.root)).detected).toBe('analytics');
    const memory = await profileDemoFixture('memory-system');
    expect((await detectProfile(memory.root)).detected).toBe('memory-system');
    expect((await detectProfile(tempDir())).detected).toBeNull();
    const home = tempDir();
    // A file named like the database that is no database proves nothing.
    writeFile(path.join(home, hot), 'not sqlite');
    writeFile(path.join(home, 'Documents/metrics.csv'), 'a,b\n');
    expect((await detectProfile(home)).detected).toBeNull();
  });

  it('finds its demo sound, in WAL mode as the seed runs it, with rows in every tier', async () => {
    const { root } = await profileDemoFixture('analytics');
    for (const id of ['hot-db', 'historical-db', 'archive']) {
      const one = await instanceOf(root, id);
      const check = await one.validate();
      expect(check.ok, `${one.label}: ${check.summary}`).toBe(true);
    }
    expect((await (await instanceOf(root, 'hot-db')).validate()).summary).toMatch(
      /^sound; 3000 rows in user_interactions, \d+ rows in session_analytics$/,
    );
    const header = fs.readFileSync(path.join(root, hot)).subarray(18, 20);
    expect([...header]).toEqual([2, 2]);
  });

  it('names a database cut short and a database missing the seed’s tables', async () => {
    const { root } = await profileDemoFixture('analytics');
    const file = path.join(root, hot);
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 3));
    const cut = await (await instanceOf(root, 'hot-db')).validate();
    expect(cut.ok).toBe(false);
    expect(cut.findings[0]).toMatchObject({
      code: expect.stringMatching(/^SQLITE_(CORRUPT|UNREADABLE)$/),
      path: 'comprehensive_metrics.db',
      action: expect.stringContaining('backup'),
    });

    const db = new Database(path.join(root, warm));
    db.exec('DROP TABLE performance_baselines');
    db.close();
    const dropped = await (await instanceOf(root, 'historical-db')).validate();
    expect(dropped.ok).toBe(false);
    expect(dropped.findings).toEqual([
      expect.objectContaining({
        code: 'SQLITE_TABLES_MISSING',
        path: 'historical_metrics.db',
        message: expect.stringContaining('performance_baselines'),
        action: 'Restore historical_metrics.db from a backup made before the tables went.',
      }),
    ]);
  });

  it('backs up a change still in the WAL and restores both tiers exactly', async () => {
    const fixture = await profileDemoFixture('analytics');
    const file = path.join(fixture.root, hot);
    // The analytics system writes while Tend backs up: its last row sits in the WAL only.
    const writer = new Database(file);
    writer.pragma('wal_autocheckpoint = 0');
    writer
      .prepare(
        `INSERT INTO business_metrics (date, total_queries, unique_sessions) VALUES ('2026-11-01', 7, 3)`,
      )
      .run();
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    // What the backup should hold: the rows through the WAL, the file's time before the
    // writer checkpoints it, and no WAL of its own (a restored database starts without one).
    const before = fixture.fingerprint().filter((line) => !/-(wal|shm) mode=/.test(line));
    const backup = await fixture.backup();
    writer.close();

    const db = new Database(file);
    db.prepare(`DELETE FROM business_metrics WHERE date = '2026-11-01'`).run();
    db.close();
    // Deleted rather than damaged: a restore's safety snapshot cannot copy a malformed
    // database yet (RESTORE_SNAPSHOT_FAILED), which the backup domain's owners are told.
    fs.rmSync(path.join(fixture.root, warm));
    fs.rmSync(path.join(fixture.root, 'analytics/archive/yearly_summaries'), { recursive: true });

    const report = reportOf(await fixture.restore(backup, { kind: 'everything' }));
    expect(report.checks).toContainEqual(
      expect.objectContaining({ name: 'historical_metrics.db', ok: true }),
    );
    expect(fixture.fingerprint()).toEqual(before);
    const check = new Database(file, { readonly: true });
    expect(
      check.prepare(`SELECT total_queries FROM business_metrics WHERE date = '2026-11-01'`).get(),
    ).toEqual({ total_queries: 7 });
    check.close();
  });
});
