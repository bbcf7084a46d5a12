import path from 'node:path';
import lockfile from 'proper-lockfile';
import { TendFailure } from '../../../src-shared/errors';

/**
 * The one exclusive lock for jobs that write the root.
 *
 * Inside this process, writers wait their turn in order. Across processes (the desktop app and
 * a `tend` command on the same root) a lock folder in `.tend/locks/` decides, and a second
 * process is refused with DATA_LOCKED rather than left waiting without a word.
 */
export class DataLock {
  private tail: Promise<void> = Promise.resolve();
  private readonly lockTarget: string;

  constructor(locksDir: string) {
    this.lockTarget = path.join(locksDir, 'data');
  }

  /**
   * Waits for this process's earlier writers, then takes the cross-process lock.
   *
   * Returns the function that releases both. `onLost` is called if another process steals a
   * lock this one held for too long without updating it.
   */
  async acquire(signal: AbortSignal, onLost: (error: Error) => void): Promise<() => Promise<void>> {
    let releaseTurn!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (releaseTurn = resolve));
    await Promise.race([
      previous,
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    ]).catch((error) => {
      // Our turn never came; let the writer behind us go once the one before us is done.
      void previous.then(releaseTurn);
      throw error;
    });
    let releaseFile: () => Promise<void>;
    try {
      releaseFile = await lockfile.lock(this.lockTarget, {
        realpath: false,
        stale: 15_000,
        update: 5_000,
        retries: 0,
        onCompromised: onLost,
      });
    } catch (error) {
      releaseTurn();
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new TendFailure(
          'DATA_LOCKED',
          'Another Tend process is changing this data folder right now. Try again when it is done.',
        );
      }
      throw error;
    }
    return async () => {
      try {
        await releaseFile();
      } finally {
        releaseTurn();
      }
    };
  }
}
