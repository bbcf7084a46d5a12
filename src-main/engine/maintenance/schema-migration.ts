import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import type { SchemaMigrationReport, SchemaStatus } from '../../../src-shared/models/maintenance';
import type { JobContext } from '../jobs/job-runner';
import { layout } from '../root/layout';
import { openAssistantDb, openDatabaseForReading } from '../store/assistant-db';
import {
  applyAssistantMigrations,
  assistantMigrations,
  pendingAssistantMigrations,
  type AssistantMigration,
} from '../store/migrations';
import { faultPoint } from './fault-point';
import { maintenancePaths } from './maintenance-paths';

const JournalSchema = z.object({
  state: z.enum(['migrating', 'restoring']),
  owner: z.object({ host: z.string(), pid: z.number() }),
  from: z.number(),
  to: z.number(),
  createdAt: z.string(),
});
type Journal = z.infer<typeof JournalSchema>;

/** Where assistant.db's schema stands, read without changing anything. */
export function schemaStatus(
  root: string,
  migrations: ReadonlyArray<AssistantMigration> = assistantMigrations,
): SchemaStatus {
  const latest = migrations.at(-1)?.version ?? 0;
  const file = path.join(root, layout.assistantDb);
  if (!fs.existsSync(file)) return { current: null, latest, pending: [] };
  const db = openDatabaseForReading(file);
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    return {
      current,
      latest,
      pending: pendingAssistantMigrations(current, migrations).map((m) => ({
        version: m.version,
        name: m.name,
      })),
    };
  } finally {
    db.close();
  }
}

function readJournal(root: string): Journal | null {
  const file = path.join(root, maintenancePaths.schemaJournal);
  try {
    return JournalSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function writeJournal(root: string, journal: Journal): void {
  const file = path.join(root, maintenancePaths.schemaJournal);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(file, `${JSON.stringify(journal)}\n`, { fsync: true });
}

function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Puts the copy taken before the migration back in place of assistant.db.
 *
 * The copy is itself copied first, so a crash in here can simply run this again; the WAL and
 * shared-memory files of the migrated database go before the swap, or SQLite would replay
 * the migrated pages onto the restored file.
 */
function restoreCopy(root: string, journal: Journal): void {
  writeJournal(root, { ...journal, state: 'restoring' });
  const db = path.join(root, layout.assistantDb);
  const copy = path.join(root, maintenancePaths.schemaCopy);
  const staging = `${db}.tend-restoring`;
  fs.copyFileSync(copy, staging);
  fsyncPath(staging);
  fs.rmSync(`${db}-wal`, { force: true });
  fs.rmSync(`${db}-shm`, { force: true });
  fs.renameSync(staging, db);
  fsyncPath(path.dirname(db));
  fs.rmSync(path.join(root, maintenancePaths.schemaJournal), { force: true });
  fs.rmSync(copy, { force: true });
}

/**
 * Takes assistant.db through its pending migrations, as a job's work.
 *
 * First an online copy of the database into .tend/ (the backup API, so the WAL is included
 * and a running assistant never tears it) and the pre-migration backup; then each step in its
 * own transaction; then an integrity and foreign-key check. Any failure, and any crash (at
 * the next start), puts the copy back: the database is as before or as after, never between.
 */
export async function migrateSchema(
  root: string,
  options: {
    context: JobContext | null;
    backup: ((paths: ReadonlyArray<string>) => Promise<string | null>) | null;
    migrations?: ReadonlyArray<AssistantMigration>;
  },
): Promise<SchemaMigrationReport> {
  const started = Date.now();
  const migrations = options.migrations ?? assistantMigrations;
  const file = path.join(root, layout.assistantDb);
  if (!fs.existsSync(file)) {
    throw new TendFailure('ASSISTANT_DB_MISSING', `There is no assistant database at ${file}.`);
  }
  if (readJournal(root)) {
    throw new TendFailure(
      'SCHEMA_MIGRATION_FAILED',
      'An earlier schema migration was interrupted; restart Tend so it can put the database back first.',
    );
  }
  const status = schemaStatus(root, migrations);
  const from = status.current ?? 0;
  if (from > status.latest) {
    throw new TendFailure(
      'SCHEMA_NEWER',
      `assistant.db has schema version ${from}, newer than this Tend knows (${status.latest}). Update Tend.`,
    );
  }
  const pending = pendingAssistantMigrations(from, migrations);
  if (pending.length === 0) {
    return { from, to: from, applied: [], backupId: null, durationMs: Date.now() - started };
  }

  const copy = path.join(root, maintenancePaths.schemaCopy);
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.rmSync(copy, { force: true });
  options.context?.progress({ message: 'Copying assistant.db before the migration' });
  const source = openAssistantDb(file);
  try {
    await source.backup(`${copy}.partial`);
  } finally {
    source.close();
  }
  fsyncPath(`${copy}.partial`);
  fs.renameSync(`${copy}.partial`, copy);
  const journal: Journal = {
    state: 'migrating',
    owner: { host: os.hostname(), pid: process.pid },
    from,
    to: status.latest,
    createdAt: new Date().toISOString(),
  };
  writeJournal(root, journal);
  faultPoint('schema:after-copy');

  let backupId: string | null = null;
  const applied: Array<{ version: number; name: string }> = [];
  try {
    backupId = options.backup ? await options.backup([layout.assistantDb]) : null;
    options.context?.progress({ filesTotal: pending.length, filesDone: 0 });
    const db = openAssistantDb(file);
    try {
      applyAssistantMigrations(db, migrations, (migration) => {
        applied.push({ version: migration.version, name: migration.name });
        options.context?.progress({ filesDone: applied.length, message: migration.name });
        faultPoint('schema:after-step');
      });
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new Error(`integrity check: ${String(integrity)}`);
      const foreign = db.pragma('foreign_key_check') as unknown[];
      if (foreign.length > 0) throw new Error(`${foreign.length} foreign key violation(s)`);
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch (error) {
    restoreCopy(root, journal);
    throw new TendFailure(
      'SCHEMA_MIGRATION_FAILED',
      `The migration of assistant.db from version ${from} failed and was undone (the database is as before): ${(error as Error).message}`,
      { backupId },
    );
  }
  fs.rmSync(path.join(root, maintenancePaths.schemaJournal), { force: true });
  fs.rmSync(copy, { force: true });
  return { from, to: status.latest, applied, backupId, durationMs: Date.now() - started };
}

function isAlive(owner: Journal['owner']): boolean {
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * At start-up: a schema migration whose process is gone is undone from its copy, so
 * assistant.db is as it was before. Resolves with whether it did anything.
 */
export function recoverSchemaMigration(root: string): boolean {
  const journal = readJournal(root);
  if (!journal) return false;
  if (journal.owner.pid !== process.pid && isAlive(journal.owner)) return false;
  if (!fs.existsSync(path.join(root, maintenancePaths.schemaCopy))) {
    // The copy was already put back and removed; only the journal was left.
    fs.rmSync(path.join(root, maintenancePaths.schemaJournal), { force: true });
    return false;
  }
  restoreCopy(root, journal);
  return true;
}
