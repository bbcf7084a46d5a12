/**
 * Telling an imported interaction from one the store already holds, in any tier, so importing
 * a file twice (or an export back into its own store) never counts a row twice.
 *
 * Interactions have no id of their own that survives an export (the store numbers rows), so
 * a row is known by its content. A stored row may have been scrubbed since it was exported
 * (session and IP hashed, query redacted) or archived into a cold file; an incoming row is
 * compared as it is and as the scrub would have left it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { listColdSegments, readColdSegment } from './cold-archive';
import { hashIdentifier, redactText } from './redact';

/** The columns that make two interactions the same one (id and scrubbed_at are bookkeeping). */
export interface InteractionContent {
  readonly session_id: string;
  readonly timestamp: string;
  readonly user_role: string;
  readonly query: string;
  readonly query_type: string;
  readonly response_time_ms: number;
  readonly response_length: number;
  readonly success: number;
  readonly user_rating: number | null;
  readonly ip: string | null;
  readonly created_at: string;
}

/** A row's identity: its content, in a fixed order. */
export function interactionKey(row: InteractionContent): string {
  return JSON.stringify([
    row.session_id,
    row.timestamp,
    row.user_role,
    row.query,
    row.query_type,
    row.response_time_ms,
    row.response_length,
    row.success,
    row.user_rating,
    row.ip,
    row.created_at,
  ]);
}

/** The identity the row would have after the privacy scrub with this salt. */
export function scrubbedInteractionKey(salt: Buffer, row: InteractionContent): string {
  return interactionKey({
    ...row,
    session_id: hashIdentifier(salt, row.session_id),
    ip: row.ip === null ? null : hashIdentifier(salt, row.ip),
    query: redactText(row.query).text,
  });
}

/** How many stored rows have each identity (a multiset: two equal rows are two rows). */
export type StoredInteractions = Map<string, number>;

/**
 * The stored rows at the given timestamps: hot rows of assistant.db, and the rows of the
 * cold files of those months (warm days keep only sums, and every warm day is in a cold file).
 */
export async function storedInteractionsAt(
  db: Database.Database,
  coldFolder: string,
  timestamps: ReadonlySet<string>,
): Promise<StoredInteractions> {
  const stored: StoredInteractions = new Map();
  const add = (row: InteractionContent) => {
    const key = interactionKey(row);
    stored.set(key, (stored.get(key) ?? 0) + 1);
  };
  const select = db.prepare(
    `SELECT session_id, timestamp, user_role, query, query_type, response_time_ms,
       response_length, success, user_rating, ip, created_at
     FROM interactions WHERE timestamp = ?`,
  );
  for (const timestamp of timestamps) {
    for (const row of select.all(timestamp) as InteractionContent[]) add(row);
  }
  if (!fs.existsSync(coldFolder)) return stored;
  const months = new Set([...timestamps].map((timestamp) => timestamp.slice(0, 7)));
  for (const segment of listColdSegments(coldFolder)) {
    if (!months.has(segment.name.slice(0, 7)) || !segment.name.endsWith('.jsonl.gz')) continue;
    if (path.basename(segment.name).startsWith('.')) continue;
    for await (const row of readColdSegment(path.join(coldFolder, segment.name))) {
      if (timestamps.has(row.timestamp)) add(row);
    }
  }
  return stored;
}

/**
 * Whether an incoming row is already stored, as it is or as the scrub left it; a match is
 * used up, so a file holding a row twice where the store holds it once imports it once.
 */
export function takeStored(
  stored: StoredInteractions,
  salt: Buffer | null,
  row: InteractionContent,
): boolean {
  const keys = [interactionKey(row)];
  if (salt) keys.push(scrubbedInteractionKey(salt, row));
  for (const key of keys) {
    const count = stored.get(key) ?? 0;
    if (count > 0) {
      stored.set(key, count - 1);
      return true;
    }
  }
  return false;
}
