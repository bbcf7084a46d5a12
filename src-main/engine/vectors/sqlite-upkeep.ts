/**
 * SQLite upkeep of one database: fold the WAL back (wal_checkpoint(TRUNCATE)), let SQLite
 * refresh its planner statistics (PRAGMA optimize), check integrity when due, and VACUUM when
 * more than a quarter of the pages are free.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import type { UpkeepDatabaseResult } from '../../../src-shared/models/vectors';

/** Free pages above this share of the file make a VACUUM worth its rewrite. */
export const VACUUM_FREE_SHARE = 0.25;

/** The integrity check runs when the last one is older than this. */
export const INTEGRITY_EVERY_MS = 7 * 24 * 60 * 60 * 1000;

function size(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The database file and its WAL, in bytes. */
export function databaseBytes(file: string): number {
  return size(file) + size(`${file}-wal`);
}

/** Whether the weekly integrity check is due. */
export function integrityDue(lastCheck: Date | null, now: Date): boolean {
  return lastCheck === null || now.getTime() - lastCheck.getTime() >= INTEGRITY_EVERY_MS;
}

/**
 * Runs the upkeep steps on an open connection to `file`. A VACUUM needs no other connection
 * in a transaction; callers run this inside a writing job so nothing of Tend's is.
 */
export function upkeepDatabase(
  db: Database.Database,
  file: string,
  options: { checkIntegrity: boolean },
): Omit<UpkeepDatabaseResult, 'database' | 'path'> {
  const bytesBefore = databaseBytes(file);
  const walBytesBefore = size(`${file}-wal`);
  const checkpoint = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{
    busy: number;
    log: number;
    checkpointed: number;
  }>;
  db.pragma('optimize');
  let integrity: string | null = null;
  if (options.checkIntegrity) {
    const rows = db.pragma('integrity_check(20)') as Array<{ integrity_check: string }>;
    integrity = rows.map((row) => row.integrity_check).join('; ');
  }
  const freePagesBefore = db.pragma('freelist_count', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const vacuumed = pageCount > 0 && freePagesBefore / pageCount > VACUUM_FREE_SHARE;
  if (vacuumed) {
    db.exec('VACUUM');
    // Under WAL, VACUUM writes the new pages through the WAL: fold them back too.
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  return {
    bytesBefore,
    bytesAfter: databaseBytes(file),
    checkpointedFrames: Math.max(0, checkpoint[0]?.checkpointed ?? 0),
    walBytesBefore,
    freePagesBefore,
    pageCount,
    vacuumed,
    integrity,
  };
}
