/**
 * Seed 004's anonymisation on its own user_interactions rows: past the scrub age, the IP and
 * user-agent hashes become salted hashes (the seed's own are plain hashes of a small space: an
 * IPv4 hash is undone by hashing every address) and the query text has its e-mails, phone
 * numbers and IPs redacted. A value already salted (`anon_…`) is left, so a second pass changes
 * nothing.
 */
import type Database from 'better-sqlite3';
import type { JobContext } from '../jobs/job-runner';
import { hashIdentifier, redactText } from './redact';

/** The columns of a user_interactions row the anonymisation changes. */
export interface AnonymisableRow {
  ip_hash: string | null;
  user_agent_hash: string | null;
  query: string;
}

const salted = (salt: Buffer, value: string | null) =>
  value === null || value.startsWith('anon_') ? value : hashIdentifier(salt, value);

/** One row anonymised; the same row when there was nothing to change. */
export function anonymiseRow<R extends AnonymisableRow>(salt: Buffer, row: R): R {
  const ip = salted(salt, row.ip_hash);
  const agent = salted(salt, row.user_agent_hash);
  const query = typeof row.query === 'string' ? redactText(row.query).text : row.query;
  if (ip === row.ip_hash && agent === row.user_agent_hash && query === row.query) return row;
  return { ...row, ip_hash: ip, user_agent_hash: agent, query };
}

const BATCH = 5_000;

/**
 * Anonymises the user_interactions rows dated from `from` and before `cutoff` (days) that
 * still need it, a batch a transaction; a dry run only counts. Returns the rows changed (or
 * that would be). `from` leaves out, on a dry run, the rows the run would move instead.
 */
export async function anonymiseHotRows(
  db: Database.Database,
  salt: Buffer,
  from: string,
  cutoff: string,
  dryRun: boolean,
  context: JobContext | null,
): Promise<number> {
  // Rows with an unsalted hash, or a query that may hold personal data (an "@" or a digit).
  const select = db.prepare(
    `SELECT rowid AS rid, ip_hash, user_agent_hash, query FROM user_interactions
     WHERE timestamp >= ? AND timestamp < ? AND rowid > ?
       AND ((ip_hash IS NOT NULL AND ip_hash NOT LIKE 'anon\\_%' ESCAPE '\\')
         OR (user_agent_hash IS NOT NULL AND user_agent_hash NOT LIKE 'anon\\_%' ESCAPE '\\')
         OR query GLOB '*[@0-9:]*')
     ORDER BY rowid LIMIT ?`,
  );
  const update = db.prepare(
    'UPDATE user_interactions SET ip_hash = ?, user_agent_hash = ?, query = ? WHERE rowid = ?',
  );
  let changed = 0;
  let after = 0;
  for (;;) {
    context?.throwIfCancelled();
    const rows = select.all(from, cutoff, after, BATCH) as Array<AnonymisableRow & { rid: number }>;
    if (rows.length === 0) break;
    const updates = rows
      .map((row) => ({ row, out: anonymiseRow(salt, row) }))
      .filter(({ row, out }) => out !== row);
    changed += updates.length;
    if (!dryRun && updates.length > 0) {
      db.transaction(() => {
        for (const { row, out } of updates)
          update.run(out.ip_hash, out.user_agent_hash, out.query, row.rid);
      })();
    }
    after = rows.at(-1)!.rid;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return changed;
}
