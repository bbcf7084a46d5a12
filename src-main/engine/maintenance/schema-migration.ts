import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import type { SchemaMigrationReport, SchemaStatus } from '../../../src-shared/models/maintenance';
import { renameDurablySync, syncFileSync, writeFileDurablySync } from '../fs/durable';
import type { JobContext } from '../jobs/job-runner';
import { ownerAlive } from '../jobs/process-alive';
import { openAssistantDb } from '../store/assistant-db';
import { openOwnForReading } from '../stores/sqlite/sqlite-open';
import {
  applyAssistantMigrations,
  assistantMigrations,
  pendingAssistantMigrations,
  type AssistantMigration,
} from '../store/migrations';
import { faultPoint } from './fault-point';
import type { MaintenanceRoot } from './maintenance-paths';
import { countOf } from '../../../src-shared/language/counts';

const JournalSchema = z.object({
  // 'restoring' was written by Tend versions that put the copy back; read as interrupted.
  state: z.enum(['migrating', 'restoring', 'interrupted']),
  owner: z.object({ host: z.string(), pid: z.number() }),
  from: z.number(),
  to: z.number(),
  createdAt: z.string(),
  /** What a later start (or the failed run itself) found and did, in words. */
  notice: z.string().optional(),
});
type Journal = z.infer<typeof JournalSchema>;

/** Where assistant.db's schema stands, read without changing anything. */
export function schemaStatus(
  m: MaintenanceRoot,
  migrations: ReadonlyArray<AssistantMigration> = assistantMigrations,
): SchemaStatus {
  const latest = migrations.at(-1)?.version ?? 0;
  const file = path.join(m.root, m.store.db);
  const notice = readJournal(m)?.notice ?? null;
  if (!fs.existsSync(file)) return { current: null, latest, pending: [], notice };
  const db = openOwnForReading(file);
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    return {
      current,
      latest,
      pending: pendingAssistantMigrations(current, migrations).map((m) => ({
        version: m.version,
        name: m.name,
      })),
      notice,
    };
  } finally {
    db.close();
  }
}

function readJournal(m: MaintenanceRoot): Journal | null {
  const file = m.state.schemaJournal;
  try {
    return JournalSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function writeJournal(m: MaintenanceRoot, journal: Journal): void {
  writeFileDurablySync(m.state.schemaJournal, `${JSON.stringify(journal)}\n`);
}

/** assistant.db's schema version now, read without leaving anything behind. */
function versionNow(file: string): number | null {
  try {
    const db = openOwnForReading(file);
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** The message of a migration that stopped before its end, and what is kept. */
function stoppedNotice(
  m: MaintenanceRoot,
  journal: Journal,
  version: number | null,
  why: string,
): string {
  const at =
    version === null
      ? 'its version could not be read'
      : version === journal.from
        ? `it is still at version ${version}, as before`
        : `it is at version ${version}: the steps that committed are kept`;
  return `The schema migration of assistant.db from version ${journal.from} to ${journal.to} ${why} (${journal.createdAt}); ${at}. Nothing was put back from the copy, so no row written since is lost. Run tend migrate apply (or Maintenance → Migrate) to finish it; the copy taken before it is kept at ${m.state.schemaCopy} until then.`;
}

/**
 * Takes assistant.db through its pending migrations, as a job's work.
 *
 * First an online copy of the database into Tend's state folder (the backup API, so the WAL is included
 * and a running assistant never tears it) and the pre-migration backup; then each step in its
 * own transaction, which commits with its `user_version`; then an integrity and foreign-key
 * check. A step that committed is finished, never undone: putting the copy back would drop
 * every row the assistant wrote since. A step that fails rolls back alone, and the migration
 * stops, says where the database stands, and is finished by the next run. A migration stopped
 * by a crash is recorded as interrupted at the next start and finished the same way.
 */
export async function migrateSchema(
  m: MaintenanceRoot,
  options: {
    context: JobContext | null;
    backup: ((paths: ReadonlyArray<string>) => Promise<string | null>) | null;
    migrations?: ReadonlyArray<AssistantMigration>;
  },
): Promise<SchemaMigrationReport> {
  const started = Date.now();
  const migrations = options.migrations ?? assistantMigrations;
  const file = path.join(m.root, m.store.db);
  if (!fs.existsSync(file)) {
    throw new TendFailure('ASSISTANT_DB_MISSING', `There is no assistant database at ${file}.`);
  }
  const earlier = readJournal(m);
  if (earlier && earlier.state !== 'interrupted' && isAlive(earlier.owner)) {
    throw new TendFailure(
      'SCHEMA_MIGRATION_FAILED',
      'A schema migration of assistant.db is running in another Tend process; wait for it.',
    );
  }
  const status = schemaStatus(m, migrations);
  const from = status.current ?? 0;
  if (from > status.latest) {
    throw new TendFailure(
      'SCHEMA_NEWER',
      `assistant.db has schema version ${from}, newer than this Tend knows (${status.latest}). Update Tend.`,
    );
  }
  const copy = m.state.schemaCopy;
  const pending = pendingAssistantMigrations(from, migrations);
  if (pending.length === 0) {
    // An interrupted migration whose last step had committed: it is finished.
    if (earlier) finish(m, copy);
    return { from, to: from, applied: [], backupId: null, durationMs: Date.now() - started };
  }

  // A migration finished after an interruption keeps the copy from before its first step.
  if (!earlier || !fs.existsSync(copy)) {
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.rmSync(copy, { force: true });
    options.context?.progress({ message: 'Copying assistant.db before the migration' });
    const source = openAssistantDb(file, { readonly: true });
    try {
      await source.backup(`${copy}.partial`);
    } finally {
      source.close();
    }
    syncFileSync(`${copy}.partial`);
    renameDurablySync(`${copy}.partial`, copy);
  }
  const journal: Journal = {
    state: 'migrating',
    owner: { host: os.hostname(), pid: process.pid },
    from: earlier?.from ?? from,
    to: status.latest,
    createdAt: earlier?.createdAt ?? new Date().toISOString(),
  };
  writeJournal(m, journal);
  faultPoint('schema:after-copy');

  let backupId: string | null = null;
  const applied: Array<{ version: number; name: string }> = [];
  let step: AssistantMigration | null = null;
  try {
    backupId = options.backup ? await options.backup([m.store.db]) : null;
    faultPoint('schema:after-backup');
    options.context?.progress({ filesTotal: pending.length, filesDone: 0 });
    const db = openAssistantDb(file);
    try {
      applyAssistantMigrations(
        db,
        migrations,
        (migration) => {
          applied.push({ version: migration.version, name: migration.name });
          options.context?.progress({ filesDone: applied.length, message: migration.name });
          faultPoint('schema:after-step');
        },
        (migration) => (step = migration),
      );
      step = null;
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new Error(`integrity check: ${String(integrity)}`);
      const foreign = db.pragma('foreign_key_check') as unknown[];
      if (foreign.length > 0) throw new Error(countOf(foreign.length, 'foreign key violation'));
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch (error) {
    const failed = step as AssistantMigration | null;
    const why = failed
      ? `stopped at step ${String(failed.version).padStart(3, '0')} ${failed.name}, which failed and was rolled back by itself: ${(error as Error).message}`
      : `stopped: ${(error as Error).message}`;
    const notice = stoppedNotice(m, journal, versionNow(file), why);
    writeJournal(m, { ...journal, state: 'interrupted', notice });
    throw new TendFailure('SCHEMA_MIGRATION_FAILED', notice, { backupId });
  }
  faultPoint('schema:after-check');
  finish(m, copy);
  return { from, to: status.latest, applied, backupId, durationMs: Date.now() - started };
}

/** A migration at its end: the journal and the copy go. */
function finish(m: MaintenanceRoot, copy: string): void {
  fs.rmSync(m.state.schemaJournal, { force: true });
  fs.rmSync(copy, { force: true });
}

function isAlive(owner: Journal['owner']): boolean {
  return ownerAlive(owner);
}

/**
 * At start-up: a schema migration whose process is gone is recorded as interrupted, with what
 * the database holds now. Nothing is put back (the assistant may have written rows since the
 * copy); the notice says so and stays, in `schema:status`, `tend info` and `tend migrate
 * plan`, until a migration finishes it. Resolves with the notice, or null.
 */
export function recoverSchemaMigration(m: MaintenanceRoot): string | null {
  const journal = readJournal(m);
  if (!journal || journal.state === 'interrupted' || isAlive(journal.owner)) return null;
  const notice = stoppedNotice(
    m,
    journal,
    versionNow(path.join(m.root, m.store.db)),
    'was interrupted (the process stopped)',
  );
  writeJournal(m, { ...journal, state: 'interrupted', notice });
  return notice;
}
