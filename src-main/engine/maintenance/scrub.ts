import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { ScrubReport } from '../../../src-shared/models/maintenance';
import type { JobContext } from '../jobs/job-runner';
import { hashIdentifier, redactText } from './redact';

/** One interactions row as the scrub reads it. */
export interface ScrubbableRow {
  id: number;
  session_id: string;
  ip: string | null;
  query: string;
}

/** The scrubbed values of one row and what was found in it. */
export interface ScrubbedRow {
  sessionId: string;
  ip: string | null;
  query: string;
  emails: number;
  phones: number;
  ips: number;
}

/** Scrubs one row: salted hashes for its session id and IP, placeholders in its query. */
export function scrubRow(salt: Buffer, row: ScrubbableRow): ScrubbedRow {
  const { text, counts } = redactText(row.query);
  return {
    sessionId: hashIdentifier(salt, row.session_id),
    ip: row.ip === null ? null : hashIdentifier(salt, row.ip),
    query: text,
    ...counts,
  };
}

/**
 * The salt of this root's scrub hashes, made on first use.
 *
 * It lives in Tend's state folder, never in the data folder nor backed up: a backup of scrubbed rows cannot be joined
 * back to the identities with it.
 */
export function scrubSalt(file: string): Buffer {
  try {
    const salt = fs.readFileSync(file);
    if (salt.length >= 16) return salt;
  } catch {
    // Not made yet.
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const salt = randomBytes(32);
  // wx: two processes making it at once must end with one salt, not two.
  try {
    fs.writeFileSync(file, salt, { flag: 'wx', mode: 0o600 });
    return salt;
  } catch {
    return fs.readFileSync(file);
  }
}

/** The salt of this root's scrub hashes if one was made, else null (nothing was scrubbed). */
export function existingScrubSalt(file: string): Buffer | null {
  try {
    const salt = fs.readFileSync(file);
    return salt.length >= 16 ? salt : null;
  } catch {
    return null;
  }
}

const BATCH = 5_000;

/**
 * Scrubs interactions older than `cutoff` (a day) that are not scrubbed yet, in batches of
 * one transaction each; a dry run only counts. Rows are marked with `scrubbed_at`, so a run
 * stopped half-way is taken up where it stopped.
 */
export async function runScrub(
  db: Database.Database,
  salt: Buffer,
  cutoff: string | null,
  dryRun: boolean,
  context: JobContext | null,
  now: Date = new Date(),
): Promise<ScrubReport> {
  const started = Date.now();
  const report: ScrubReport = {
    dryRun,
    cutoff,
    rows: 0,
    ipsHashed: 0,
    emailsRedacted: 0,
    phonesRedacted: 0,
    ipsRedacted: 0,
    durationMs: 0,
  };
  if (cutoff === null) return { ...report, durationMs: Date.now() - started };
  const total = (
    db
      .prepare('SELECT count(*) AS n FROM interactions WHERE scrubbed_at IS NULL AND timestamp < ?')
      .get(cutoff) as { n: number }
  ).n;
  context?.progress({ filesTotal: total, filesDone: 0, message: `${total} rows to scrub` });
  const select = db.prepare(
    `SELECT id, session_id, ip, query FROM interactions
     WHERE scrubbed_at IS NULL AND timestamp < ? AND id > ? ORDER BY id LIMIT ?`,
  );
  const update = db.prepare(
    'UPDATE interactions SET session_id = ?, ip = ?, query = ?, scrubbed_at = ? WHERE id = ?',
  );
  const stamp = now.toISOString();
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    context?.throwIfCancelled();
    const rows = select.all(cutoff, after, BATCH) as ScrubbableRow[];
    if (rows.length === 0) break;
    const scrubbed = rows.map((row) => scrubRow(salt, row));
    if (!dryRun) {
      db.transaction(() => {
        rows.forEach((row, i) => {
          const s = scrubbed[i]!;
          update.run(s.sessionId, s.ip, s.query, stamp, row.id);
        });
      })();
    }
    for (const s of scrubbed) {
      report.rows++;
      if (s.ip !== null) report.ipsHashed++;
      report.emailsRedacted += s.emails;
      report.phonesRedacted += s.phones;
      report.ipsRedacted += s.ips;
    }
    after = rows.at(-1)!.id;
    context?.progress({ filesDone: report.rows });
    // Let progress events and cancel requests through between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ...report, durationMs: Date.now() - started };
}
