/**
 * A demo folder of the analytics system (seed 004): the hot database in WAL mode with 90 days
 * of interactions, sessions, content and query figures, system metrics and the retention
 * policies; the warm database with a year of monthly aggregates; and the cold tier's
 * compressed yearly summary and data dump.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEMO_TOPICS, question, slugify, title } from '../../demo/demo-text';
import { DAY_MS, DEFAULT_DEMO_NOW, daysBefore } from '../../demo/demo-time';
import { SeededRandom } from '../../demo/random';
import { listFiles } from '../../stores/list-files';
import { createDatabase } from '../../stores/sqlite/sqlite-open';
import type { ProfileDemo } from '../profile';
import { analyticsPaths } from './analytics-paths';
import { HISTORICAL_SCHEMA, HOT_SCHEMA } from './analytics-schema';

const INTERACTIONS = { small: 3000, medium: 30_000, large: 150_000 } as const;
/** Seed 004's query categories and a few roles of the people who ask. */
const QUERY_TYPES = ['technical', 'career', 'mma', 'fun', 'general'] as const;
const ROLES = ['hiring_manager', 'software_developer', 'recruiter', 'casual_visitor'] as const;
const COMPONENTS = ['rag_engine', 'code_index', 'database'] as const;
/** Seed 004, "Data Retention Policies". */
const RETENTION: ReadonlyArray<[string, number, number | null]> = [
  ['user_interactions', 90, 90],
  ['session_analytics', 30, 30],
  ['system_performance', 365, 365],
  ['content_performance', 365, null],
  ['query_performance', 365, null],
  ['business_metrics', 36500, null],
];

/** SQLite's `CURRENT_TIMESTAMP` format. */
const sqlTime = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;

function writeHot(file: string, rng: SeededRandom, interactions: number, signal: AbortSignal) {
  const db = createDatabase(file);
  try {
    // "Technology: SQLite with WAL mode".
    db.pragma('journal_mode = WAL');
    db.exec(HOT_SCHEMA);
    const start = daysBefore(DEFAULT_DEMO_NOW, 90).getTime();
    const insert = db.prepare(
      `INSERT INTO user_interactions (session_id, timestamp, user_role, query, query_hash, query_type,
         response_time, response_length, code_snippets_shown, citations_provided, success,
         user_rating, follow_up_query, conversation_turn, ip_hash, user_agent_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const sessions = new Map<
      string,
      { role: string; first: Date; last: Date; n: number; ok: number; time: number }
    >();
    let session = '';
    let turn = 0;
    db.transaction(() => {
      for (let i = 0; i < interactions; i++) {
        if (i % 1000 === 0) signal.throwIfAborted();
        if (turn === 0 || rng.chance(0.3)) {
          session = `sess_${rng.hex(12)}`;
          turn = 0;
        }
        turn++;
        const at = new Date(
          start + Math.floor((i / interactions) * 90 * DAY_MS) + rng.int(0, 600_000),
        );
        const role = rng.pick(ROLES);
        const type = rng.pick(QUERY_TYPES);
        const text = question(rng, rng.pick(DEMO_TOPICS));
        const success = rng.chance(0.93);
        const time = round(rng.logNormal(1.2, 0.5));
        insert.run(
          session,
          sqlTime(at),
          role,
          text,
          hashOf(text.toLowerCase()),
          type,
          time,
          rng.int(80, 2400),
          rng.int(0, 3),
          rng.int(0, 5),
          success ? 1 : 0,
          rng.chance(0.3) ? rng.int(1, 5) : null,
          turn > 1 ? 1 : 0,
          turn,
          hashOf(`ip/${rng.hex(8)}`),
          hashOf(`ua/${rng.int(0, 40)}`),
          sqlTime(at),
        );
        const seen = sessions.get(session) ?? { role, first: at, last: at, n: 0, ok: 0, time: 0 };
        sessions.set(session, {
          ...seen,
          last: at,
          n: seen.n + 1,
          ok: seen.ok + (success ? 1 : 0),
          time: seen.time + time,
        });
      }
      const insertSession = db.prepare(
        `INSERT INTO session_analytics (session_id, user_role, start_time, last_activity, total_queries,
           successful_queries, avg_response_time, session_rating, conversion_achieved, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const [id, s] of sessions) {
        insertSession.run(
          id,
          s.role,
          sqlTime(s.first),
          sqlTime(s.last),
          s.n,
          s.ok,
          round(s.time / s.n),
          round(rng.float(2, 5), 2),
          s.n >= 4 ? 1 : 0,
          sqlTime(s.first),
          sqlTime(s.last),
        );
      }
      const insertContent = db.prepare(
        `INSERT INTO content_performance (content_type, content_id, content_hash, access_count,
           avg_relevance_score, success_rate, user_roles_accessing, first_accessed, last_accessed,
           performance_score, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (let i = 0; i < 60; i++) {
        const topic = DEMO_TOPICS[i % DEMO_TOPICS.length]!;
        const first = daysBefore(DEFAULT_DEMO_NOW, rng.int(30, 300));
        const last = daysBefore(DEFAULT_DEMO_NOW, rng.int(0, 29));
        insertContent.run(
          rng.pick(['career_kb', 'code_snippet', 'mma_link']),
          `${slugify(title(rng, topic), 40)}-${i}`,
          rng.hex(16),
          rng.int(1, 400),
          round(rng.float(0.3, 1)),
          round(rng.float(0.6, 1)),
          JSON.stringify([rng.pick(ROLES), rng.pick(ROLES)]),
          sqlTime(first),
          sqlTime(last),
          round(rng.float(0, 100), 1),
          sqlTime(first),
          sqlTime(last),
        );
      }
      const insertQuery = db.prepare(
        `INSERT OR IGNORE INTO query_performance (query_normalized, query_category, total_asks, success_rate,
           avg_response_time, avg_user_rating, popular_roles, trending_score, last_asked, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (let i = 0; i < 120; i++) {
        const last = daysBefore(DEFAULT_DEMO_NOW, rng.int(0, 60));
        insertQuery.run(
          question(rng, rng.pick(DEMO_TOPICS)).toLowerCase(),
          rng.pick(QUERY_TYPES),
          rng.int(1, 90),
          round(rng.float(0.7, 1)),
          round(rng.logNormal(1.2, 0.4)),
          round(rng.float(2.5, 5), 2),
          JSON.stringify([rng.pick(ROLES)]),
          round(rng.float(-1, 3)),
          sqlTime(last),
          sqlTime(last),
          sqlTime(last),
        );
      }
      const insertMetric = db.prepare(
        `INSERT INTO system_performance (timestamp, metric_name, metric_value, metric_unit, component,
           alert_threshold, is_alert, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (let day = 90; day > 0; day--) {
        const at = sqlTime(daysBefore(DEFAULT_DEMO_NOW, day));
        for (const component of COMPONENTS) {
          const value = round(rng.logNormal(1.5, 0.6));
          insertMetric.run(
            at,
            'response_time',
            value,
            'seconds',
            component,
            5,
            value > 5 ? 1 : 0,
            at,
          );
          insertMetric.run(
            at,
            'memory_usage',
            round(rng.float(200, 900), 1),
            'MB',
            component,
            1000,
            0,
            at,
          );
        }
      }
      const insertPolicy = db.prepare(
        `INSERT INTO data_retention_policy (table_name, retention_days, archive_after_days, last_cleanup,
           cleanup_enabled, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)`,
      );
      const since = sqlTime(daysBefore(DEFAULT_DEMO_NOW, 400));
      const yesterday = sqlTime(daysBefore(DEFAULT_DEMO_NOW, 1));
      for (const [table, days, archiveAfter] of RETENTION)
        insertPolicy.run(table, days, archiveAfter, yesterday, since, yesterday);
      db.exec(`INSERT INTO business_metrics (date, total_queries, unique_sessions, success_rate, avg_response_time, avg_user_rating)
        SELECT substr(timestamp, 1, 10), count(*), count(DISTINCT session_id), round(avg(success), 4),
          round(avg(response_time), 3), round(avg(user_rating), 2)
        FROM user_interactions GROUP BY 1`);
    })();
  } finally {
    db.close();
  }
}

function writeHistorical(file: string, rng: SeededRandom) {
  const db = createDatabase(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(HISTORICAL_SCHEMA);
    const months: string[] = [];
    for (let back = 12; back >= 1; back--) {
      const date = new Date(
        Date.UTC(DEFAULT_DEMO_NOW.getUTCFullYear(), DEFAULT_DEMO_NOW.getUTCMonth() - 3 - back, 1),
      );
      months.push(date.toISOString().slice(0, 7));
    }
    db.transaction(() => {
      const interactions = db.prepare(
        'INSERT INTO user_interactions_monthly VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const content = db.prepare('INSERT INTO content_analytics_monthly VALUES (?, ?, ?, ?, ?)');
      const business = db.prepare('INSERT INTO business_metrics_monthly VALUES (?, ?, ?, ?, ?)');
      const baselines = db.prepare('INSERT INTO performance_baselines VALUES (?, ?, ?, ?, ?)');
      for (const month of months) {
        let total = 0;
        for (const role of ROLES) {
          for (const type of QUERY_TYPES) {
            const n = rng.int(20, 400);
            total += n;
            interactions.run(
              month,
              role,
              type,
              n,
              Math.round(n * rng.float(0.85, 0.99)),
              round(rng.logNormal(1.2, 0.3)),
              round(rng.float(3, 5), 2),
            );
          }
        }
        for (let i = 0; i < 20; i++)
          content.run(
            month,
            rng.pick(['career_kb', 'code_snippet', 'mma_link']),
            `item-${i}`,
            rng.int(1, 300),
            round(rng.float(0.4, 1)),
          );
        business.run(
          month,
          total,
          Math.round(total / rng.float(2.5, 4)),
          round(rng.float(0.88, 0.97), 4),
          round(rng.logNormal(1.2, 0.2)),
        );
        for (const component of COMPONENTS) {
          const p50 = round(rng.logNormal(1.1, 0.2));
          baselines.run('response_time', component, month, p50, round(p50 * rng.float(2, 4)));
        }
      }
    })();
  } finally {
    db.close();
  }
}

/** Writes the demo into `root` (empty but for Tend's own folder). */
export const analyticsDemo: ProfileDemo = {
  async write({ root, size, seed, signal, onProgress }) {
    const rng = new SeededRandom(`analytics/${seed}`);
    const at = (relative: string) => path.join(root, ...relative.split('/'));
    await fs.mkdir(at(analyticsPaths.dir), { recursive: true });
    onProgress({ filesDone: 0, filesTotal: 2, currentPath: analyticsPaths.hotDb });
    writeHot(at(analyticsPaths.hotDb), rng.fork('hot'), INTERACTIONS[size], signal);
    onProgress({ filesDone: 1, filesTotal: 2, currentPath: analyticsPaths.historicalDb });
    writeHistorical(at(analyticsPaths.historicalDb), rng.fork('warm'));

    // Tier 3: "Compressed JSON files" in the seed's folders.
    const year = DEFAULT_DEMO_NOW.getUTCFullYear() - 2;
    const summary = {
      year,
      interactions: rng.int(20_000, 60_000),
      success_rate: round(rng.float(0.9, 0.97), 4),
    };
    const dump = Array.from({ length: 50 }, (_, i) => ({
      id: i + 1,
      timestamp: sqlTime(new Date(Date.UTC(year, 0, 1) + i * DAY_MS)),
      query_type: rng.pick(QUERY_TYPES),
      success: rng.chance(0.93),
    }));
    for (const [relative, value] of [
      [`${analyticsPaths.archive}/yearly_summaries/${year}.json.gz`, summary],
      [`${analyticsPaths.archive}/data_dumps/user_interactions_${year}.json.gz`, dump],
    ] as const) {
      await fs.mkdir(path.dirname(at(relative)), { recursive: true });
      await fs.writeFile(at(relative), gzipSync(JSON.stringify(value)));
    }
    for (const folder of ['compliance_exports', 'backup_snapshots']) {
      await fs.mkdir(at(`${analyticsPaths.archive}/${folder}`), { recursive: true });
    }
    onProgress({ filesDone: 2, filesTotal: 2, currentPath: null });

    const files = (await listFiles(root)).filter((file) => !file.path.startsWith('.tend/'));
    return {
      root,
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.bytes, 0),
      interactions: INTERACTIONS[size],
    };
  },
};
