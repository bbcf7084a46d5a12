/**
 * Moves the state an older Tend kept inside a data folder (`<root>/.tend/`) into Tend's state
 * directory, once, and removes it from the folder.
 *
 * Kill-safe in three steps: (1) everything is copied into `<state dir>.migrating/` and made
 * durable (every file and folder fsynced; the catalog through SQLite's backup API, its WAL
 * included; paths that named `.tend/` rewritten to the new place); (2) that folder is renamed
 * to the state folder with a marker naming the `.tend/` it came from (its inode): the commit;
 * (3) `.tend/` is removed. Killed before (2), the next start copies again from `.tend/`, which
 * is untouched; killed after it, the next start sees the marker and only finishes (3).
 *
 * What of `.tend/` is the person's data stays in the data folder: the files a legacy migration
 * set aside move to the profile's set-aside folder. A restore interrupted under the old layout
 * has its staging moved beside the root, where the restore recovery finds it.
 */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { TendFailure } from '../../../src-shared/errors';
import {
  renameDurablySync,
  syncFileSync,
  syncFolderSync,
  writeFileDurablySync,
} from '../fs/durable';
import { faultPoint } from '../maintenance/fault-point';
import type { AssistantStoreLayout } from '../profiles/profile';
import { legacyStagingDir } from '../restore/restore-journal';
import { openOwnDatabase, openReadOnly } from '../stores/sqlite/sqlite-open';
import { TEND_DIR } from './category-rules';
import { rootStateAt } from './root-state';

/** The marker of a finished copy, in the state folder. */
export const MIGRATION_MARKER = 'migrated-from-data-folder.json';

/** What the migration did. */
export type StateMigration = 'none' | 'migrated' | 'finished';

interface Marker {
  readonly from: string;
  /** The inode of the `.tend/` folder copied: a `.tend/` made later is another one. */
  readonly ino: string;
  readonly at: string;
}

function readMarker(stateDir: string): Marker | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, MIGRATION_MARKER), 'utf8')) as Marker;
  } catch {
    return null;
  }
}

/** Copies a file byte for byte into a new file and fsyncs it. */
function copyDurably(from: string, to: string): void {
  fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  const stat = fs.statSync(from);
  fs.utimesSync(to, stat.atime, stat.mtime);
  syncFileSync(to);
}

/** Names in `.tend/` that are never copied: temporary work, and what is handled apart. */
const NOT_COPIED = new Set(['staging', 'backup-tmp', 'locks']);

/** Copies a folder tree of Tend's old state, durably, leaving out what is not state. */
async function copyTree(from: string, to: string, top: boolean): Promise<void> {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (top && NOT_COPIED.has(entry.name)) continue;
    if (top && entry.name === 'legacy-migration') {
      // Its journal is state; what it set aside is the person's and stays in the folder.
      const journal = path.join(from, entry.name, 'journal.json');
      if (fs.existsSync(journal)) {
        fs.mkdirSync(path.join(to, entry.name), { recursive: true });
        copyDurably(journal, path.join(to, entry.name, 'journal.json'));
      }
      continue;
    }
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await copyTree(source, target, false);
    } else if (entry.isFile()) {
      if (top && /^catalog\.db(-wal|-shm|-journal)?$/.test(entry.name)) continue;
      copyDurably(source, target);
    }
    // Links and special files are not Tend's: it never wrote any there.
  }
  syncFolderSync(to);
}

/**
 * Copies the catalog through SQLite's backup API, so what its WAL holds comes along. Read-only:
 * the old catalog stays byte for byte as it was (its WAL not checkpointed), so a move killed
 * before its commit starts again from the very same files.
 */
async function copyCatalog(from: string, to: string): Promise<void> {
  if (!fs.existsSync(from)) return;
  const source = openReadOnly(from);
  try {
    await source.db.backup(to);
  } finally {
    source.close();
  }
  syncFileSync(to);
}

/**
 * Rewrites paths that named the old state folder's snapshots so they name the new one's:
 * `copy` is the copy being made, `final` where it will be once committed.
 */
function rewritePaths(copy: string, final: string, oldDir: string): void {
  const state = rootStateAt(copy);
  const oldSnapshots = path.join(oldDir, 'snapshots');
  const newSnapshots = rootStateAt(final).snapshots;
  if (fs.existsSync(state.catalog)) {
    const db = openOwnDatabase(state.catalog);
    try {
      db.prepare('UPDATE backups SET destination = ? WHERE destination = ?').run(
        newSnapshots,
        oldSnapshots,
      );
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    syncFileSync(state.catalog);
  }
  for (const file of [state.lastRestore, state.restoreJournal]) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    // JSON strings: the folder's path appears escaped as JSON writes it.
    const from = JSON.stringify(oldSnapshots).slice(1, -1);
    const to = JSON.stringify(newSnapshots).slice(1, -1);
    const next = text.split(from).join(to);
    if (next !== text) {
      writeFileDurablySync(file, next);
    }
  }
}

/** Moves what a legacy migration set aside into the profile's set-aside folder. */
function keepSetAside(root: string, oldDir: string, store: AssistantStoreLayout | null): void {
  const from = path.join(oldDir, 'legacy-migration', 'set-aside');
  if (!fs.existsSync(from)) return;
  if (!store) {
    throw new TendFailure(
      'STATE_MIGRATION_FAILED',
      `${from} holds files a legacy migration set aside, and this folder's profile has no place for them. Move them out of ${oldDir} yourself, then open the folder again.`,
    );
  }
  const to = path.join(root, store.legacySetAside);
  fs.mkdirSync(to, { recursive: true });
  for (const id of fs.readdirSync(from)) {
    const target = path.join(to, id);
    // One folder per migration, named by its id: never two of a name.
    if (fs.existsSync(target)) continue;
    fs.renameSync(path.join(from, id), target);
  }
  syncFolderSync(to);
}

/** Moves the staging of a restore interrupted under the old layout beside the root. */
function moveOldStaging(root: string, oldDir: string): void {
  const staging = path.join(oldDir, 'staging');
  if (!fs.existsSync(staging)) return;
  for (const id of fs.readdirSync(staging)) {
    if (!/^[A-Za-z0-9-]+$/.test(id)) continue;
    const target = legacyStagingDir(root, id);
    if (!fs.existsSync(target)) fs.renameSync(path.join(staging, id), target);
  }
}

/** Refuses while an older Tend still works in the folder (its data lock is fresh). */
function refuseIfLocked(oldDir: string): void {
  const held = lockfile.checkSync(path.join(oldDir, 'locks', 'data'), {
    realpath: false,
    stale: 15_000,
  });
  if (held) {
    throw new TendFailure(
      'DATA_LOCKED',
      `Another Tend is working in this data folder (its lock in ${oldDir} is held). Close it, then open the folder here again: Tend moves its state out of the folder first.`,
    );
  }
}

/**
 * Moves `<root>/.tend/` (if there) into `stateDir`. Resolves with what it did: nothing, the
 * whole move, or only the removal left by a move killed after its commit.
 */
export async function migrateRootState(
  root: string,
  stateDir: string,
  store: AssistantStoreLayout | null,
): Promise<StateMigration> {
  const oldDir = path.join(root, TEND_DIR);
  const stat = fs.lstatSync(oldDir, { throwIfNoEntry: false, bigint: true });
  // Only a real folder is Tend's; a link or a file of that name is somebody's.
  if (!stat?.isDirectory()) return 'none';
  const ino = String(stat.ino);
  try {
    const marker = readMarker(stateDir);
    if (marker?.ino === ino) {
      fs.rmSync(oldDir, { recursive: true, force: true });
      syncFolderSync(root);
      return 'finished';
    }
    refuseIfLocked(oldDir);
    moveOldStaging(root, oldDir);
    keepSetAside(root, oldDir, store);
    faultPoint('state:before-copy');
    // A state folder already there (Tend looked after the folder since, and an older Tend
    // wrote `.tend/` again): kept, and the old state is kept beside it, never merged.
    const exists = fs.existsSync(stateDir);
    const target = exists
      ? path.join(stateDir, `from-data-folder-${new Date().toISOString().replace(/[:.]/g, '-')}`)
      : stateDir;
    const temp = `${target}.migrating`;
    fs.rmSync(temp, { recursive: true, force: true });
    await copyTree(oldDir, temp, true);
    await copyCatalog(path.join(oldDir, 'catalog.db'), path.join(temp, 'catalog.db'));
    if (!exists) rewritePaths(temp, target, oldDir);
    faultPoint('state:after-copy');
    const record: Marker = { from: oldDir, ino, at: new Date().toISOString() };
    writeFileDurablySync(path.join(temp, MIGRATION_MARKER), JSON.stringify(record));
    renameDurablySync(temp, target);
    if (exists) {
      writeFileDurablySync(path.join(stateDir, MIGRATION_MARKER), JSON.stringify(record));
    }
    faultPoint('state:after-commit');
    fs.rmSync(oldDir, { recursive: true, force: true });
    syncFolderSync(root);
    return 'migrated';
  } catch (error) {
    if (error instanceof TendFailure) throw error;
    throw new TendFailure(
      'STATE_MIGRATION_FAILED',
      `Tend could not move its old state out of ${oldDir} into ${stateDir}: ${(error as Error).message}. Nothing was lost: ${oldDir} is as it was. Fix that (the free space, the permissions) and open the folder again.`,
    );
  }
}
