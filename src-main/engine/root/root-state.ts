/**
 * Where Tend keeps its own state for one root: the catalog, the settings, the data lock, the
 * restore journal, safety snapshots made without a backup destination, and the journals of
 * migrations. None of it is the person's data: it is never counted, backed up or restored.
 */
import path from 'node:path';

/** Tend's own state of one root, as absolute paths. */
export interface RootState {
  /** The folder that holds all of it. */
  readonly dir: string;
  /** Jobs, backup history, usage history, schedules (SQLite, Tend's own). */
  readonly catalog: string;
  readonly settings: string;
  /** The data lock's folder. */
  readonly locks: string;
  /** How far a restore got (restore/restore-journal.ts), and the last restore for undo. */
  readonly restoreJournal: string;
  readonly lastRestore: string;
  /** Safety snapshots taken while no backup destination is set. */
  readonly snapshots: string;
  /** SQLite snapshots while a backup is written, one folder per backup. */
  readonly backupTemp: string;
  /** The last `tend run-due` report. */
  readonly runDue: string;
  /** The legacy migration's journal. */
  readonly legacyJournal: string;
  /** The schema migration's journal and the copy of assistant.db taken before it. */
  readonly schemaJournal: string;
  readonly schemaCopy: string;
  /** The salt of the privacy scrub's hashes; never backed up with the data. */
  readonly scrubSalt: string;
}

/** The state paths under one folder. */
export function rootStateAt(dir: string): RootState {
  return {
    dir,
    catalog: path.join(dir, 'catalog.db'),
    settings: path.join(dir, 'settings.json'),
    locks: path.join(dir, 'locks'),
    restoreJournal: path.join(dir, 'restore', 'journal.json'),
    lastRestore: path.join(dir, 'restore', 'last.json'),
    snapshots: path.join(dir, 'snapshots'),
    backupTemp: path.join(dir, 'backup-tmp'),
    runDue: path.join(dir, 'run-due-last.json'),
    legacyJournal: path.join(dir, 'legacy-migration', 'journal.json'),
    schemaJournal: path.join(dir, 'schema-migration', 'journal.json'),
    schemaCopy: path.join(dir, 'schema-migration', 'assistant.db.pre'),
    scrubSalt: path.join(dir, 'scrub-salt'),
  };
}
