/**
 * The `sqlite` store kind: one SQLite database file (and its WAL while one is in use).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '../../demo/random';
import type { CapturePlan } from '../capture-plan';
import type { StoreKind } from '../store-kind';
import { checkDatabase, type SqliteFacts } from './sqlite-check';
import { createDatabase } from './sqlite-open';

/** Where a SQLite store lives: its database file. */
export interface SqliteLocation {
  readonly file: string;
}

function sizeOr0(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The capture plan of one database: a snapshot through the online backup API. */
export function planDatabaseCapture(file: string): CapturePlan {
  return {
    base: path.dirname(file),
    items: [
      {
        path: path.basename(file),
        // The WAL's pages end up in the snapshot, so they count towards what is read.
        bytes: sizeOr0(file) + sizeOr0(`${file}-wal`),
        method: 'sqlite-snapshot',
      },
    ],
    consistency:
      'Copied through SQLite’s online backup API inside one read transaction: every committed change, those still in the WAL included, and none half done, while the app keeps writing.',
    needsAppStopped: false,
  };
}

/**
 * Writes a small notes database in WAL mode, like an app that keeps its records in SQLite.
 * The same seed writes the same rows; an existing file is refused.
 */
export function writeDemoDatabase(file: string, seed: string, rows = 40): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const rng = new SeededRandom(`sqlite-store/${seed}`);
  const db = createDatabase(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE notes (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`);
    const insert = db.prepare('INSERT INTO notes (title, body, created_at) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        insert.run(`note ${rng.hex(6)}`, rng.hex(rng.int(40, 400)), 1_760_000_000 + i * 3600);
      }
    })();
  } finally {
    // The last close checkpoints the WAL into the file and removes it: a demo leaves one file.
    db.close();
  }
}

/** One SQLite database. */
export const sqliteStore: StoreKind<SqliteLocation, SqliteFacts> = {
  kind: 'sqlite',
  title: 'SQLite database',
  description:
    'A single-file SQL database. Tend copies it through SQLite’s online backup API and checks it read-only.',
  origin: { kind: 'source' },
  planCapture: async ({ file }) => planDatabaseCapture(file),
  validate: ({ file }) => checkDatabase(file),
  writeDemo: async ({ file }, { seed }) => writeDemoDatabase(file, seed),
};
