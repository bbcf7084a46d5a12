import type { Result } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { ForgetOldResult, MovePlan, MoveStatus } from '../../../src-shared/models/move';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** The place of the page a move (or move back) job is started from. */
export const MOVE_PLACE = 'move';

/**
 * Moving the data folder (issue 14): the last move and its old copy, the plan of a target,
 * the move and its undo as jobs followed at one place, and the removal of the old copy.
 */
export interface MoveSlice {
  moveStatus: Loadable<MoveStatus>;
  loadMoveStatus(): Promise<void>;
  /** What moving to `target` would do; reads only. */
  planMove(target: string): Promise<Result<MovePlan>>;
  /** Starts the move as a job at MOVE_PLACE; null while a start is on its way. */
  startMove(target: string): Promise<Result<JobRecord> | null>;
  /** Starts the move back as a job at MOVE_PLACE; null while a start is on its way. */
  moveBack(): Promise<Result<JobRecord> | null>;
  /** Removes the old copy (the person confirmed it); the status is read again after. */
  forgetOldCopy(): Promise<Result<ForgetOldResult>>;
}

export const createMoveSlice: SliceCreator<MoveSlice> = (set, get, client) => {
  function started(result: Result<JobRecord> | null): Result<JobRecord> | null {
    if (result?.ok) get().jobProgressed(result.value);
    return result;
  }

  return {
    moveStatus: idle,

    async loadMoveStatus() {
      set({ moveStatus: reloading(get().moveStatus) });
      const result = await call(client, 'move:status', {});
      set({
        moveStatus: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error, value: null },
      });
    },

    planMove: (target) => call(client, 'move:plan', { target }),

    async startMove(target) {
      return started(
        await get().startJobAt(MOVE_PLACE, () => call(client, 'move:apply', { target })),
      );
    },

    async moveBack() {
      return started(await get().startJobAt(MOVE_PLACE, () => call(client, 'move:back', {})));
    },

    async forgetOldCopy() {
      const result = await call(client, 'move:forget-old', {});
      await get().loadMoveStatus();
      return result;
    },
  };
};
