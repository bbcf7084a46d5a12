/**
 * The switch and its undoing. Every step looks at what is where, so it can run again after a
 * crash: at each point one complete copy exists and the configuration names it.
 *
 * Switch order: the app's settings (old value kept in the journal), Tend's record of the root,
 * the old folder renamed aside (a copy) and the link left at the old path. Roll back reverses
 * each step that happened and removes only the copy the move made.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ConfigChange } from '../../../src-shared/models/move';
import { syncFolder } from '../fs/durable';
import { faultPoint } from '../maintenance/fault-point';
import { setSettingsValue } from './config-changes';
import { clearCarriedLock } from './moved-lock';
import {
  clearMoveJournal,
  writeMoveJournal,
  writeMoveRecord,
  type MoveJournal,
  type MovePlace,
} from './move-journal';
import type { RelocateRoot } from './root-record';

async function present(file: string): Promise<boolean> {
  return (await fs.lstat(file).catch(() => null)) !== null;
}

function linkChange(changes: ReadonlyArray<ConfigChange>) {
  return changes.find((change) => change.kind === 'link');
}

/** Writes the configuration changes, renames the old copy aside, leaves the link; then commits. */
export async function switchOver(
  place: MovePlace,
  journal: MoveJournal,
  relocateRoot: RelocateRoot,
): Promise<void> {
  faultPoint('move:switch-begin');
  for (const change of journal.changes) {
    if (change.kind === 'settings-file' && change.applies && change.from && change.to) {
      await setSettingsValue(change.file, change.key, change.from, change.to);
    }
  }
  faultPoint('move:switch-settings');
  await relocateRoot(journal.from, journal.to);
  faultPoint('move:switch-record');
  if (journal.method === 'copy' && journal.kept && !(await present(journal.kept))) {
    await fs.rename(journal.from, journal.kept);
    await syncFolder(path.dirname(journal.from));
  }
  faultPoint('move:switch-renamed');
  if (linkChange(journal.changes) && !(await present(journal.from))) {
    await fs.symlink(journal.to, journal.from, 'dir');
  }
  faultPoint('move:switch-linked');
  await commit(place, { ...journal, phase: 'committed' });
}

/** Writes the record and clears the journal: the move is done. */
export async function commit(place: MovePlace, journal: MoveJournal): Promise<void> {
  await writeMoveJournal(place, journal);
  faultPoint('move:committed');
  if (journal.record) await writeMoveRecord(place, journal.record);
  await clearMoveJournal(place);
}

/** Removes what a copying move wrote at the target: only the folder it made, or what it put in an empty one. */
export async function removeCopy(journal: MoveJournal): Promise<void> {
  const target = journal.to;
  const stat = await fs.lstat(target).catch(() => null);
  if (!stat?.isDirectory()) return;
  if (journal.targetCreated) {
    await fs.rm(target, { recursive: true, force: true });
    return;
  }
  // The folder was there, empty, before the move: everything in it now is the move's.
  for (const name of await fs.readdir(target)) {
    await fs.rm(path.join(target, name), { recursive: true, force: true });
  }
}

/**
 * Puts everything back as before the move, from whatever point it reached, and clears the
 * journal. The source is whole again before the copy is removed.
 */
export async function rollBackMove(
  place: MovePlace,
  journal: MoveJournal,
  relocateRoot: RelocateRoot,
): Promise<void> {
  const { from, to } = journal;
  const link = linkChange(journal.changes);
  const atFrom = await fs.lstat(from).catch(() => null);
  if (link && atFrom?.isSymbolicLink() && (await fs.readlink(from)) === to) await fs.unlink(from);
  if (!(await present(from))) {
    if (journal.method === 'copy' && journal.kept && (await present(journal.kept))) {
      await fs.rename(journal.kept, from);
    } else if (journal.method === 'rename' && (await present(to))) {
      await fs.rename(to, from);
      await clearCarriedLock(from);
      if (!journal.targetCreated) await fs.mkdir(to);
    }
    await syncFolder(path.dirname(from));
  }
  for (const change of journal.changes) {
    if (change.kind === 'settings-file' && change.applies && change.from && change.to) {
      await setSettingsValue(change.file, change.key, change.to, change.from);
    }
  }
  if (journal.phase !== 'copying') await relocateRoot(to, from);
  // Only once the source is whole where it was: the copy is the move's own, verified or not.
  if (journal.method === 'copy' && (await fs.stat(from).catch(() => null))?.isDirectory()) {
    await removeCopy(journal);
  }
  await clearMoveJournal(place);
}
