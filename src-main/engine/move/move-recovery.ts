/**
 * What the next start does with a move a crash cut short: before the switch is committed it
 * rolls back (the source is the data, the copy is removed); once committed it writes the
 * record; a removal of the old copy or a move back is carried on to its end. A journal of a
 * process that still runs is left alone.
 */
import { ownerAlive } from '../jobs/process-alive';
import {
  readCopiedList,
  readMoveRecord,
  writeMoveRecord,
  clearMoveJournal,
  readMoveJournal,
  type MoveJournal,
  type MovePlace,
} from './move-journal';
import { commit, rollBackMove } from './move-switch';
import { removeOldCopy } from './old-copy';
import type { RelocateRoot } from './root-record';

/** Finishes a move back: rolled back like an unfinished move, then the record says so. */
export async function finishBack(
  place: MovePlace,
  journal: MoveJournal,
  relocateRoot: RelocateRoot,
): Promise<void> {
  await rollBackMove(place, journal, relocateRoot);
  const record = await readMoveRecord(place);
  if (record && record.id === journal.id) {
    await writeMoveRecord(place, {
      ...record,
      oldCopy: null,
      movedBackAt: new Date().toISOString(),
    });
  }
}

/** Finishes removing an old copy, and records that it is gone. */
export async function finishForget(place: MovePlace, journal: MoveJournal) {
  const result = await removeOldCopy(journal.kept ?? '', await readCopiedList(place, journal.id));
  const record = await readMoveRecord(place);
  if (record && record.id === journal.id)
    await writeMoveRecord(place, { ...record, oldCopy: null });
  await clearMoveJournal(place);
  return result;
}

/** Recovers an interrupted move, if there is one; says what it did (null: nothing to do). */
export async function recoverMove(
  place: MovePlace,
  relocateRoot: RelocateRoot,
): Promise<MoveJournal['phase'] | null> {
  const journal = await readMoveJournal(place);
  if (!journal || ownerAlive(journal.owner)) return null;
  switch (journal.phase) {
    case 'copying':
    case 'switching':
      await rollBackMove(place, journal, relocateRoot);
      break;
    case 'committed':
      await commit(place, journal);
      break;
    case 'forgetting':
      if (journal.kept) await finishForget(place, journal);
      else await clearMoveJournal(place);
      break;
    case 'backing':
      await finishBack(place, journal, relocateRoot);
      break;
  }
  return journal.phase;
}
