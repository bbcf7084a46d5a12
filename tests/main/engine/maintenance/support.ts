import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openAssistantDb } from '../../../../src-main/engine/store/assistant-db';
import {
  applyAssistantMigrations,
  assistantMigrations,
} from '../../../../src-main/engine/store/migrations';
import { tempDir } from '../../../support/temp-dir';
import { nativePaths } from '../../../support/native-root';

/** Makes `<root>/local_data/internal_assistant/assistant.db` with the newest schema. */
export function makeAssistantDb(root: string): Database.Database {
  const file = path.join(root, nativePaths.assistantDb);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return openAssistantDb(file, { create: true });
}

/** One interaction per `perDay` on each day from `from` for `days` days, at 10:00 + n min. */
export function addInteractions(
  db: Database.Database,
  from: string,
  days: number,
  perDay = 3,
  extra: (day: number, n: number) => { query?: string; ip?: string | null } = () => ({}),
): number {
  const insert = db.prepare(
    `INSERT INTO interactions (session_id, timestamp, user_role, query, query_type, response_time_ms,
       response_length, success, user_rating, ip, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const start = Date.parse(`${from}T10:00:00.000Z`);
  let count = 0;
  db.transaction(() => {
    for (let d = 0; d < days; d++) {
      for (let n = 0; n < perDay; n++) {
        const at = new Date(start + d * 86_400_000 + n * 60_000).toISOString();
        const more = extra(d, n);
        insert.run(
          `sess_${d}_${Math.floor(n / 2)}`,
          at,
          n % 2 === 0 ? 'developer' : 'analyst',
          more.query ?? `question ${d}/${n}`,
          n % 3 === 0 ? 'technical' : 'general',
          100 + n,
          200 + d,
          n % 4 === 3 ? 0 : 1,
          n % 2 === 0 ? 4 : null,
          more.ip === undefined ? `10.0.${d % 250}.${n + 1}` : more.ip,
          at,
        );
        count++;
      }
    }
  })();
  return count;
}

/** Every file under a folder, relative, with its bytes, for before/after comparisons. */
export function snapshotTree(
  root: string,
  skip: ReadonlyArray<string> = ['.tend'],
): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip.includes(child)) continue;
      if (entry.isDirectory()) {
        out[`${child}/`] = 'dir';
        walk(child);
      } else out[child] = fs.readFileSync(path.join(root, child)).toString('base64');
    }
  };
  walk('');
  return out;
}

/** A root whose assistant.db is at schema version 1, with rows. */
export function versionOneRoot(): string {
  const root = tempDir();
  const file = path.join(root, nativePaths.assistantDb);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.mkdirSync(path.join(root, '.tend'), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  applyAssistantMigrations(db, assistantMigrations.slice(0, 1));
  addInteractions(db, '2026-01-01', 10);
  db.close();
  return root;
}
