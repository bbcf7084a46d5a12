/**
 * The archival job on an analytics-profile root (seed 004's own comprehensive_metrics.db and
 * historical_metrics.db): the real CLI in a child process, killed (SIGKILL) at each of the
 * move's steps; afterwards, and after the run is taken up again, every row is in exactly one
 * place (hot or cold) and the warm sums hold each moved row once.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { analyticsHotDays } from '../../../../src-main/engine/maintenance/analytics-archival';
import { anonymiseRow } from '../../../../src-main/engine/maintenance/analytics-anonymise';
import { analyticsJournalFile } from '../../../../src-main/engine/maintenance/analytics-journal';
import {
  quantile,
  tierMappings,
  weightedMean,
} from '../../../../src-main/engine/profiles/analytics/analytics-tiers';
import { ArchivalReportSchema } from '../../../../src-shared/models/maintenance';
import { stateOfRoot } from '../../../support/root-state';
import { tempDir } from '../../../support/temp-dir';

const repo = path.resolve(__dirname, '../../../..');
const hotFile = (root: string) => path.join(root, 'analytics/comprehensive_metrics.db');
const warmFile = (root: string) => path.join(root, 'analytics/historical_metrics.db');
const dumps = (root: string) => path.join(root, 'analytics/archive/data_dumps');
const stateDirOf = (root: string) => path.join(root, '..', 'state');

function tend(root: string, args: string[], fault?: { point: string; skip: number }) {
  return spawnSync(process.execPath, [path.join(repo, 'bin/tend.mjs'), '--root', root, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      TEND_STATE_DIR: stateDirOf(root),
      TEND_FAULT_POINT: fault?.point ?? '',
      TEND_FAULT_SKIP: String(fault?.skip ?? 0),
    },
  });
}

let template: string | null = null;

/**
 * The analytics demo as the real `tend demo` writes it, once for the file (a child process
 * and the whole demo each time cost most of this file's time); each test works on a copy.
 */
function analyticsTemplate(): string {
  if (template) return template;
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tend-analytics-demo-')));
  const root = path.join(base, 'root');
  const made = tend(root, ['demo', '--profile', 'analytics', '--size', 'small']);
  expect(made.status, made.stderr).toBe(0);
  template = root;
  return root;
}

afterAll(() => {
  if (template) fs.rmSync(path.dirname(template), { recursive: true, force: true });
});

/** A copy of the analytics demo, with two warm months old enough to leave the warm tier. */
function analyticsRoot(): string {
  const root = path.join(tempDir('tend-analytics-'), 'root');
  fs.cpSync(analyticsTemplate(), root, { recursive: true, preserveTimestamps: true });
  const warm = new Database(warmFile(root));
  try {
    const insert = warm.prepare(
      'INSERT INTO user_interactions_monthly VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('2023-01', 'recruiter', 'career', 40, 38, 1.5, 4.2);
    insert.run('2023-01', 'recruiter', 'fun', 7, 7, 0.9, null);
    insert.run('2023-02', 'software_developer', 'technical', 55, 50, 2.1, 3.9);
  } finally {
    warm.close();
  }
  return root;
}

let archivedTally: ReturnType<typeof tally> | null = null;

/** The tally of a copy of the demo after an unkilled archival run: what a killed run ends as. */
function unkilledTally(): ReturnType<typeof tally> {
  if (archivedTally) return archivedTally;
  const reference = analyticsRoot();
  archiveRun(reference);
  archivedTally = tally(reference);
  return archivedTally;
}

/** Every line of every cold segment under `folder` (recursively), parsed. */
function coldRows(folder: string): Array<Record<string, unknown>> {
  if (!fs.existsSync(folder)) return [];
  const out: Array<Record<string, unknown>> = [];
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.jsonl.gz')) continue;
    const text = gunzipSync(fs.readFileSync(path.join(entry.parentPath, entry.name))).toString();
    for (const line of text.split('\n')) if (line) out.push(JSON.parse(line));
  }
  return out;
}

function read<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Where every row of the moved tables is, and what the warm tier sums. */
function tally(root: string) {
  const hot = read(hotFile(root), (db) => ({
    ids: db.prepare('SELECT id FROM user_interactions').pluck().all() as number[],
    responseTime: db
      .prepare('SELECT total(response_time) FROM user_interactions')
      .pluck()
      .get() as number,
    businessQueries: db
      .prepare('SELECT total(total_queries) FROM business_metrics')
      .pluck()
      .get() as number,
    businessDays: db.prepare('SELECT count(*) FROM business_metrics').pluck().get() as number,
  }));
  const warm = read(warmFile(root), (db) => ({
    interactions: db
      .prepare('SELECT total(interactions) FROM user_interactions_monthly')
      .pluck()
      .get() as number,
    businessQueries: db
      .prepare('SELECT total(total_queries) FROM business_metrics_monthly')
      .pluck()
      .get() as number,
  }));
  const coldInteractions = coldRows(path.join(dumps(root), 'user_interactions'));
  const coldBusiness = coldRows(path.join(dumps(root), 'business_metrics'));
  const coldWarm = coldRows(path.join(dumps(root), 'user_interactions_monthly'));
  const ids = [...hot.ids, ...coldInteractions.map((row) => row.id as number)];
  return {
    hotRows: hot.ids.length,
    /** Every user_interactions row, hot or cold; a row in both would show as a duplicate. */
    rows: ids.length,
    distinctRows: new Set(ids).size,
    responseTime:
      hot.responseTime + coldInteractions.reduce((sum, row) => sum + Number(row.response_time), 0),
    businessDays: hot.businessDays + coldBusiness.length,
    businessQueries:
      hot.businessQueries + coldBusiness.reduce((sum, row) => sum + Number(row.total_queries), 0),
    /** The warm sums less what this Tend moved in: the analytics system's own figures. */
    warmOwnInteractions:
      warm.interactions +
      coldWarm.reduce((sum, row) => sum + Number(row.interactions), 0) -
      coldInteractions.length,
    warmOwnBusiness:
      warm.businessQueries - coldBusiness.reduce((sum, row) => sum + Number(row.total_queries), 0),
    coldWarmRows: coldWarm.length,
  };
}

/** What must hold at every moment: nothing lost, nothing counted twice. */
function expectConserved(root: string, before: ReturnType<typeof tally>) {
  const now = tally(root);
  expect(now.rows).toBe(before.rows);
  expect(now.distinctRows).toBe(before.rows);
  expect(now.responseTime).toBeCloseTo(before.responseTime, 6);
  expect(now.businessDays).toBe(before.businessDays);
  expect(now.businessQueries).toBeCloseTo(before.businessQueries, 6);
  expect(now.warmOwnInteractions).toBe(before.warmOwnInteractions);
  expect(now.warmOwnBusiness).toBeCloseTo(before.warmOwnBusiness, 6);
  return now;
}

function journal(root: string): unknown {
  const file = analyticsJournalFile(stateOfRoot(stateDirOf(root), root).dir);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).batch : null;
}

function archiveRun(root: string, ...more: string[]) {
  const run = tend(root, ['archive', 'run', '--json', ...more]);
  expect(run.status, run.stderr).toBe(0);
  return ArchivalReportSchema.parse(JSON.parse(run.stdout));
}

function journalMode(file: string): string {
  // Read from the header: opening the file to ask would not change it, but this is plainer.
  const head = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 20, 0);
  fs.closeSync(fd);
  return head[18] === 2 ? 'wal' : 'rollback';
}

describe('the analytics tiers, pure parts', () => {
  it.each([
    [2, 1, 4, 3, 3.5],
    [null, 5, 4, 3, 4],
    [2, 1, null, 3, 2],
    [2, 0, 4, 3, 4],
    [null, 1, null, 1, null],
  ])('weightedMean(%s×%s, %s×%s) is %s', (a, aw, b, bw, want) => {
    expect(weightedMean(a, aw, b, bw)).toBe(want);
  });

  it.each([
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4], 0.95, 4],
    [[7], 0.5, 7],
    [[], 0.5, 0],
  ])('quantile(%j, %s) is %s', (values, q, want) => {
    expect(quantile(values, q)).toBe(want);
  });

  it.each([
    [
      'user_interactions',
      [{ table_name: 'user_interactions', retention_days: 365, archive_after_days: 30 }],
      30,
    ],
    ['user_interactions', [], 90],
    ['system_performance', [], 365],
    [
      'business_metrics',
      [{ table_name: 'business_metrics', retention_days: 36500, archive_after_days: null }],
      90,
    ],
    [
      'user_interactions',
      [{ table_name: 'user_interactions', retention_days: 1, archive_after_days: 0 }],
      90,
    ],
  ] as const)('the hot days of %s under %j are %s', (table, policy, want) => {
    const mapping = tierMappings.find((m) => m.hotTable === table)!;
    expect(analyticsHotDays(policy, mapping)).toBe(want);
  });

  it('folds a month of user_interactions into the seed’s monthly rows', () => {
    const fold = tierMappings[0]!.fold();
    for (const [role, type, success, time, rating] of [
      ['recruiter', 'career', 1, 1, 4],
      ['recruiter', 'career', 0, 3, null],
      ['recruiter', 'fun', 1, 2, 5],
    ] as const) {
      fold.add({
        timestamp: '2026-05-03 10:00:00',
        user_role: role,
        query_type: type,
        success,
        response_time: time,
        user_rating: rating,
      });
    }
    expect(fold.rows()).toEqual([
      {
        month: '2026-05',
        user_role: 'recruiter',
        query_type: 'career',
        interactions: 2,
        successes: 1,
        avg_response_time: 2,
        avg_user_rating: 4,
      },
      {
        month: '2026-05',
        user_role: 'recruiter',
        query_type: 'fun',
        interactions: 1,
        successes: 1,
        avg_response_time: 2,
        avg_user_rating: 5,
      },
    ]);
  });

  it('anonymises a row once: salted hashes, redacted query; a second pass changes nothing', () => {
    const salt = Buffer.alloc(32, 7);
    const row = {
      ip_hash: 'a1b2c3',
      user_agent_hash: null,
      query: 'mail me at jo@example.com',
      id: 4,
    };
    const once = anonymiseRow(salt, row);
    expect(once.ip_hash).toMatch(/^anon_[0-9a-f]{20}$/);
    expect(once.user_agent_hash).toBeNull();
    expect(once.query).toBe('mail me at [email]');
    expect(once.id).toBe(4);
    expect(anonymiseRow(salt, once)).toBe(once);
  });
});

describe('the analytics archival on seed 004’s files', { timeout: 180_000 }, () => {
  it('moves whole old months to the warm and cold tiers, keeps the journal modes, and a second run moves nothing', () => {
    const root = analyticsRoot();
    const before = tally(root);
    const dry = archiveRun(root, '--dry-run');
    expect(tally(root)).toEqual(before);
    expect(journal(root)).toBeNull();

    const report = archiveRun(root);
    expect(report.analytics?.tables.map((t) => t.hotTable)).toEqual([
      'user_interactions',
      'business_metrics',
      'system_performance',
    ]);
    // The dry run said what would move; the run moved it.
    expect(report.rowsMoved).toBe(dry.rowsMoved);
    expect(report.analytics!.rowsAnonymised).toBe(dry.analytics!.rowsAnonymised);
    expect(report.rowsMoved).toBeGreaterThan(0);
    const after = expectConserved(root, before);
    expect(after.hotRows).toBe(before.hotRows - report.analytics!.tables[0]!.rowsMoved);
    // The two 2023 months left the warm tier for the cold one.
    expect(after.coldWarmRows).toBe(3);
    expect(report.analytics!.tables[0]!.warmRowsToCold).toBe(3);
    // Every hot row left is of a month that is not wholly past the hot days.
    const cutoffMonth = report.hotCutoff.slice(0, 7);
    const oldest = read(hotFile(root), (db) =>
      db.prepare('SELECT min(timestamp) FROM user_interactions').pluck().get(),
    ) as string;
    expect(oldest.slice(0, 7) >= cutoffMonth).toBe(true);
    // Rows that stay past the scrub age carry salted hashes only.
    const unsalted = read(hotFile(root), (db) =>
      db
        .prepare(
          `SELECT count(*) FROM user_interactions WHERE timestamp < ? AND ip_hash NOT LIKE 'anon_%'`,
        )
        .pluck()
        .get(report.analytics!.scrubCutoff),
    );
    expect(report.analytics!.rowsAnonymised).toBeGreaterThan(0);
    expect(unsalted).toBe(0);
    expect(journalMode(hotFile(root))).toBe('wal');
    expect(journalMode(warmFile(root))).toBe('wal');
    expect(journal(root)).toBeNull();

    // The job reported its progress in rows, to the last one.
    const jobs = tend(root, ['call', 'jobs:list', '{"limit":5,"kind":"archival"}']);
    expect(jobs.status, jobs.stderr).toBe(0);
    const last = (
      JSON.parse(jobs.stdout) as {
        jobs: Array<{ title: string; progress: { filesDone: number; filesTotal: number } }>;
      }
    ).jobs.find((j) => !j.title.includes('dry run'))!;
    expect(last.progress).toMatchObject({
      filesTotal: report.rowsMoved,
      filesDone: report.rowsMoved,
    });

    const tiers = tend(root, ['archive', 'tiers', '--json']);
    expect(tiers.status, tiers.stderr).toBe(0);
    expect(JSON.parse(tiers.stdout)).toMatchObject({
      hot: { rows: after.hotRows },
      cold: { rows: report.rowsMoved + 3 },
    });

    const again = archiveRun(root);
    expect(again.rowsMoved).toBe(0);
    expect(again.analytics!.rowsAnonymised).toBe(0);
    expect(tally(root)).toEqual(after);
  });

  it('refuses while the analytics system has its database open, and changes nothing', () => {
    const root = analyticsRoot();
    const before = tally(root);
    const app = new Database(hotFile(root));
    try {
      app.prepare('SELECT count(*) FROM user_interactions').get();
      const run = tend(root, ['archive', 'run']);
      expect(run.status).toBe(4);
      expect(run.stderr).toMatch(/comprehensive_metrics\.db is open in another program/);
    } finally {
      app.close();
    }
    expect(tally(root)).toEqual(before);
  });

  it.each([
    ['analytics-archival:after-plan', 0],
    ['analytics-archival:after-cold', 0],
    ['analytics-archival:after-warm', 0],
    ['analytics-archival:after-hot', 0],
    ['analytics-archival:after-plan', 1],
    ['analytics-archival:after-cold', 1],
    ['analytics-archival:after-warm', 1],
    ['analytics-archival:after-hot', 1],
    ['analytics-archival:after-warm-cold', 0],
    ['analytics-archival:after-warm-cold', 1],
  ])(
    'killed at %s (pass %d): no row lost or doubled, and the next run ends as an unkilled one',
    (point, skip) => {
      const done = unkilledTally();

      const root = analyticsRoot();
      const before = tally(root);
      const killed = tend(root, ['archive', 'run'], { point, skip });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      // The next start takes the batch up (finished or rolled back) before anything else.
      const tiers = tend(root, ['archive', 'tiers']);
      expect(tiers.status, tiers.stderr).toBe(0);
      expect(journal(root)).toBeNull();
      expectConserved(root, before);

      archiveRun(root);
      const after = expectConserved(root, before);
      expect(after.hotRows).toBe(done.hotRows);
      expect(after.coldWarmRows).toBe(done.coldWarmRows);
      expect(journalMode(hotFile(root))).toBe('wal');
    },
  );

  it('rolls a half-done month back when the analytics system changed its rows meanwhile', () => {
    const root = analyticsRoot();
    const before = tally(root);
    const warmBefore = read(warmFile(root), (db) =>
      db.prepare('SELECT * FROM user_interactions_monthly ORDER BY 1, 2, 3').all(),
    );
    const killed = tend(root, ['archive', 'run'], {
      point: 'analytics-archival:after-warm',
      skip: 0,
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const batch = journal(root) as { month: string; coldFile: string };
    expect(batch).toMatchObject({ state: 'warm-written' });
    // The app deletes one of the month's rows before Tend starts again.
    const app = new Database(hotFile(root));
    try {
      app
        .prepare(
          `DELETE FROM user_interactions WHERE id = (SELECT min(id) FROM user_interactions WHERE substr(timestamp, 1, 7) = ?)`,
        )
        .run(batch.month);
    } finally {
      app.close();
    }
    const tiers = tend(root, ['archive', 'tiers']);
    expect(tiers.status, tiers.stderr).toBe(0);
    expect(journal(root)).toBeNull();
    // The warm rows are as they were, the segment is gone, every other row is where it was.
    expect(
      read(warmFile(root), (db) =>
        db.prepare('SELECT * FROM user_interactions_monthly ORDER BY 1, 2, 3').all(),
      ),
    ).toEqual(warmBefore);
    expect(fs.existsSync(path.join(root, 'analytics/archive', batch.coldFile))).toBe(false);
    const rolledBack = tally(root);
    expect(rolledBack.rows).toBe(before.rows - 1);
    expect(rolledBack.warmOwnInteractions).toBe(before.warmOwnInteractions);
    // And the month then moves whole.
    archiveRun(root);
    expectConserved(root, rolledBack);
    expect(journal(root)).toBeNull();
  });

  it('gives the same daily figures before and after a run, read from the hot tier and the cold segments', () => {
    const root = analyticsRoot();
    const daily = () => {
      const run = tend(root, [
        'call',
        'analytics:daily',
        '{"from":"2026-07-25","to":"2026-09-05"}',
      ]);
      expect(run.status, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { days: Array<Record<string, unknown>> }).days.map(
        ({ tier: _tier, ...figures }) => figures,
      );
    };
    const before = daily();
    expect(before.reduce((sum, day) => sum + Number(day.interactions), 0)).toBeGreaterThan(0);
    const report = archiveRun(root);
    expect(report.monthsMoved).toContain('2026-08');
    const after = daily();
    expect(after.map((d) => d.interactions)).toEqual(before.map((d) => d.interactions));
    expect(after.map((d) => d.successes)).toEqual(before.map((d) => d.successes));
    expect(after.map((d) => d.ratings)).toEqual(before.map((d) => d.ratings));
    after.forEach((day, i) => {
      if (day.meanResponseMs === null) expect(before[i]!.meanResponseMs).toBeNull();
      else expect(day.meanResponseMs).toBeCloseTo(Number(before[i]!.meanResponseMs), 6);
    });
  });

  it('says the policy is the analytics system’s own and that the archival anonymises', () => {
    const root = analyticsRoot();
    const policy = tend(root, ['archive', 'policy', '--hot', '30']);
    expect(policy.status).not.toBe(0);
    expect(policy.stderr).toMatch(
      /data_retention_policy table .* does not edit it.*PROFILE_UNSUPPORTED/,
    );
    const scrub = tend(root, ['scrub']);
    expect(scrub.status).not.toBe(0);
    expect(scrub.stderr).toMatch(/the archival anonymises the rows that stay/);
  });
});
