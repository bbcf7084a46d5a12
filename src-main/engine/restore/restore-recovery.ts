import type { SessionOpenHook } from '../session-hooks';
import { recoverRestore } from './restore-journal';

/**
 * Start-up recovery of a restore that was killed: rolled back before its commit, finished
 * after it, staging cleared. Runs first, before any other domain reads the root.
 */
export const recoverRestoreHook: SessionOpenHook = async (session) => {
  recoverRestore({
    root: session.path,
    journal: session.state.restoreJournal,
    last: session.state.lastRestore,
  });
};
