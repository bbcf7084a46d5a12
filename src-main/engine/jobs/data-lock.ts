import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import { ownerAlive } from './process-alive';

/**
 * Who holds the lock folder: written beside it (proper-lockfile removes the folder with rmdir,
 * so nothing may live inside it). The folder's inode and birth time tie the note to one
 * taking of the lock, so a note left by an earlier holder never speaks for a newer one.
 */
const LockOwnerSchema = z.object({
  host: z.string(),
  pid: z.number().int(),
  lockIno: z.number(),
  lockBirthMs: z.number(),
});
type LockOwner = z.infer<typeof LockOwnerSchema>;

// A holder refreshes the lock folder every 5 s; one silent for 15 s is gone.
const STALE_MS = 15_000;

/**
 * Whether a Tend (this one or another: the desktop app, a command) holds the folder's data
 * lock now. A holder that stopped refreshing it for 15 s is gone and does not count.
 */
export async function dataLockHeld(locksDir: string): Promise<boolean> {
  return lockfile
    .check(path.join(locksDir, 'data'), { realpath: false, stale: STALE_MS })
    .catch(() => false);
}

/**
 * The one exclusive lock for jobs that write the root.
 *
 * Inside this process, writers wait their turn in order. Across processes (the desktop app and
 * a `tend` command on the same root) a lock folder in the root's state (`<state>/roots/<id>/locks/`) decides, and a second
 * process is refused with DATA_LOCKED rather than left waiting without a word.
 */
export class DataLock {
  private tail: Promise<void> = Promise.resolve();
  private readonly lockTarget: string;
  private readonly lockDir: string;
  private readonly ownerFile: string;

  constructor(locksDir: string) {
    this.lockTarget = path.join(locksDir, 'data');
    this.lockDir = `${this.lockTarget}.lock`;
    this.ownerFile = path.join(locksDir, 'data.owner.json');
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
    const take = () =>
      lockfile.lock(this.lockTarget, {
        realpath: false,
        stale: STALE_MS,
        update: 5_000,
        retries: 0,
        onCompromised: onLost,
      });
    try {
      try {
        releaseFile = await take();
      } catch (error) {
        // A holder killed outright (SIGKILL, power loss) leaves its folder behind; proper-lockfile
        // would call it stale only after 15 s. A holder of this machine known to be gone frees
        // it at once, so the next start can recover without waiting.
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED' || !this.breakIfOwnerGone()) {
          throw error;
        }
        releaseFile = await take();
      }
      this.writeOwner();
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
        fs.rmSync(this.ownerFile, { force: true });
        await releaseFile();
      } finally {
        releaseTurn();
      }
    };
  }

  /** Notes this process as the holder of the lock folder it just made. */
  private writeOwner(): void {
    try {
      const stat = fs.statSync(this.lockDir);
      const owner: LockOwner = {
        host: os.hostname(),
        pid: process.pid,
        lockIno: stat.ino,
        lockBirthMs: stat.birthtimeMs,
      };
      fs.writeFileSync(this.ownerFile, JSON.stringify(owner));
    } catch {
      // Without the note the lock still works; a crash then costs the 15 s wait, nothing more.
    }
  }

  /**
   * Removes the lock folder when its note says it belongs to a process of this machine that is
   * gone; returns whether it did. Anything unclear (no note, another machine, a note about an
   * earlier folder) leaves the lock alone.
   */
  private breakIfOwnerGone(): boolean {
    try {
      const owner = LockOwnerSchema.parse(JSON.parse(fs.readFileSync(this.ownerFile, 'utf8')));
      const stat = fs.statSync(this.lockDir);
      const sameFolder = owner.lockIno === stat.ino && owner.lockBirthMs === stat.birthtimeMs;
      if (!sameFolder || ownerAlive(owner, { thisProcess: 'alive' })) return false;
      fs.rmSync(this.lockDir, { recursive: true, force: true });
      fs.rmSync(this.ownerFile, { force: true });
      return true;
    } catch {
      return false;
    }
  }
}
