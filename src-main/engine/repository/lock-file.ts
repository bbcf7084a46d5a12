import os from 'node:os';
import { z } from 'zod';
import { goJson, goObject, type GoJsonValue } from './go-json';
import { formatGoTime, parseGoTime, type UnixNanos } from './go-time';
import { processAlive } from '../jobs/process-alive';

/**
 * A lock file in `locks/` (restic internal/restic/lock.go; design.rst "Locks"): who holds the
 * repository and since when. A lock is stale when it is older than 30 minutes, or when it was
 * made on this host by a process that no longer exists. Holders refresh their lock (a new
 * file, then the old one removed) every 5 minutes, so a live lock never looks stale.
 */

/** A lock as stored. */
export interface LockInfo {
  readonly time: UnixNanos;
  readonly exclusive: boolean;
  readonly hostname: string;
  readonly username: string;
  readonly pid: number;
  readonly uid?: number;
  readonly gid?: number;
}

/** After this long without a refresh a lock is stale (lock.go, staleTimeout). */
export const LOCK_STALE_AFTER_MS = 30 * 60 * 1000;

/** How often a held lock is refreshed (restic's refresh interval). */
export const LOCK_REFRESH_EVERY_MS = 5 * 60 * 1000;

/** The lock's JSON (lock.go field order). */
export function encodeLock(lock: LockInfo): Buffer {
  const fields: Array<readonly [string, GoJsonValue]> = [
    ['time', formatGoTime(lock.time)],
    ['exclusive', lock.exclusive],
    ['hostname', lock.hostname],
    ['username', lock.username],
    ['pid', lock.pid],
  ];
  if (lock.uid) fields.push(['uid', lock.uid]);
  if (lock.gid) fields.push(['gid', lock.gid]);
  return Buffer.from(`${goJson(goObject(fields))}\n`);
}

const LockJsonSchema = z.object({
  time: z.string(),
  exclusive: z.boolean(),
  hostname: z.string().optional().default(''),
  username: z.string().optional().default(''),
  pid: z.number().int(),
  uid: z.number().int().optional(),
  gid: z.number().int().optional(),
});

/** Reads a lock's JSON. */
export function decodeLock(json: Buffer): LockInfo {
  const raw = LockJsonSchema.parse(JSON.parse(json.toString('utf8')));
  return { ...raw, time: parseGoTime(raw.time) };
}

/** Whether a lock is stale (lock.go, Lock.Stale). */
export function isStale(
  lock: LockInfo,
  nowMs: number,
  hostname = os.hostname(),
  alive: (pid: number) => boolean = processAlive,
): boolean {
  const ageMs = nowMs - Number(lock.time / 1_000_000n);
  if (ageMs > LOCK_STALE_AFTER_MS) return true;
  if (lock.hostname !== hostname) return false;
  return !alive(lock.pid);
}
