import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { dateToNanos } from './go-time';
import { decodeLock, encodeLock, isStale, LOCK_REFRESH_EVERY_MS, type LockInfo } from './lock-file';
import type { Repository } from './repository';
import { repositoryLocked } from './repository-errors';
import type { ResticId } from './restic-id';

/**
 * restic's repository lock (internal/restic/lock.go): a lock file in `locks/`, shared for
 * backups, restores and checks, exclusive for prune and forget. Taking one checks the other
 * locks, writes ours and checks again (after a pause where the storage's listings may lag), so
 * of two processes that start together at least one sees the other. Unlike restic 0.14, which refuses while any stale lock is there, Tend
 * removes stale locks it meets (older than 30 minutes, or made on this host by a process that
 * is gone), as `restic unlock` would.
 */

/** A lock this process holds. */
export interface HeldLock {
  readonly id: ResticId;
  readonly exclusive: boolean;
  /** Removes the lock file and stops refreshing it. */
  release(): Promise<void>;
}

function describeHolder(lock: LockInfo): string {
  return `${lock.exclusive ? 'an exclusive ' : 'a '}lock of process ${lock.pid} on ${lock.hostname || 'another machine'}${lock.username ? ` (${lock.username})` : ''}`;
}

async function conflictingLock(
  repository: Repository,
  exclusive: boolean,
  own: ResticId | null,
): Promise<LockInfo | null> {
  for (const id of await repository.listIds('locks')) {
    if (id === own) continue;
    let lock: LockInfo;
    try {
      lock = decodeLock(await repository.loadUnpacked('locks', id));
    } catch {
      // lock.go: a lock that cannot be read is passed over (it may be half deleted).
      continue;
    }
    if (isStale(lock, Date.now())) {
      await repository.backend.remove({ type: 'locks', name: id });
      continue;
    }
    if (exclusive || lock.exclusive) return lock;
  }
  return null;
}

/** Takes a shared or exclusive lock, or fails with DATA_LOCKED naming the holder. */
export async function lockRepository(
  repository: Repository,
  options: { exclusive: boolean },
): Promise<HeldLock> {
  const before = await conflictingLock(repository, options.exclusive, null);
  if (before) throw repositoryLocked(repository.backend.location, describeHolder(before));
  const info = (): LockInfo => {
    let username = '';
    let uid: number | undefined;
    let gid: number | undefined;
    try {
      const user = os.userInfo();
      username = user.username;
      uid = user.uid >= 0 ? user.uid : undefined;
      gid = user.gid >= 0 ? user.gid : undefined;
    } catch {
      // No user entry (a container): the lock still names host and process.
    }
    return {
      time: dateToNanos(new Date()),
      exclusive: options.exclusive,
      hostname: os.hostname(),
      username,
      pid: process.pid,
      ...(uid ? { uid } : {}),
      ...(gid ? { gid } : {}),
    };
  };
  let id = await repository.saveUnpacked('locks', encodeLock(info()));
  // restic waits 200 ms here (lock.go, waitBeforeLockCheck) in case a listing lags behind a
  // write. Where it does not, no wait is needed: of two processes that each write a lock and
  // then list, the one that lists last sees the other's lock, so one of them always backs off.
  if (repository.backend.lockSettleMs > 0) await sleep(repository.backend.lockSettleMs);
  const after = await conflictingLock(repository, options.exclusive, id);
  if (after) {
    await repository.backend.remove({ type: 'locks', name: id });
    throw repositoryLocked(repository.backend.location, describeHolder(after));
  }
  let released = false;
  let refreshing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    refreshing = refreshing
      .then(async () => {
        if (released) return;
        const previous = id;
        id = await repository.saveUnpacked('locks', encodeLock(info()));
        await repository.backend.remove({ type: 'locks', name: previous });
      })
      .catch(() => {
        // A failed refresh is retried at the next tick; the lock stays valid for 30 minutes.
      });
  }, LOCK_REFRESH_EVERY_MS);
  timer.unref();
  return {
    get id() {
      return id;
    },
    exclusive: options.exclusive,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await refreshing;
      await repository.backend.remove({ type: 'locks', name: id });
    },
  };
}

/** Runs work under a lock and releases it however the work ends. */
export async function withLock<T>(
  repository: Repository,
  options: { exclusive: boolean },
  work: () => Promise<T>,
): Promise<T> {
  const lock = await lockRepository(repository, options);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // The work's own failure is the one to report; a lock that cannot be removed now (the
    // storage went away) goes stale and is cleared later.
    await lock.release().catch(() => {});
    throw error;
  }
  await lock.release();
  return result;
}
