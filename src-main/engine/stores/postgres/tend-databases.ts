import type pg from 'pg';
import { z } from 'zod';

/**
 * Tend's own databases on a server: the scratch database a restore fills
 * (`<name>_tend_restore_<stamp>`) and the old database a swap keeps as the undo
 * (`<name>_tend_undo_<stamp>`). Each also carries a marker in its comment naming the live
 * database it belongs to; Tend only ever drops a database that has both the name and the
 * marker, so a database that merely looks like one of Tend's is never touched.
 */

/** PostgreSQL keeps 63 bytes of a name (NAMEDATALEN - 1) and cuts the rest silently. */
export const MAX_NAME_BYTES = 63;

/** The two kinds of database Tend creates. */
export type TendDatabaseKind = 'restore' | 'undo';

const MARKER_PREFIX = 'tend:';

/** What the comment of one of Tend's databases says. */
export const TendMarkerSchema = z.object({
  kind: z.enum(['restore', 'undo']),
  /** The live database it belongs to (the name may have been cut to fit). */
  live: z.string().min(1),
  /** ISO time it was made. */
  at: z.string(),
  /** The live database's own comment, put back when this database is swapped in again. */
  liveComment: z.string().nullable().optional(),
});
export type TendMarker = z.infer<typeof TendMarkerSchema>;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYYMMDDHHMMSS` in UTC: sorts by time. */
export function nameStamp(at: Date): string {
  return (
    `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}` +
    `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`
  );
}

/** The longest prefix of `text` whose UTF-8 fits in `bytes`, never cutting a character. */
function fitBytes(text: string, bytes: number): string {
  let out = '';
  for (const char of text) {
    if (Buffer.byteLength(out + char) > bytes) break;
    out += char;
  }
  return out;
}

/**
 * The name of a scratch (`restore`) or undo database for `live` at a time:
 * `<live>_tend_<kind>_<YYYYMMDDHHMMSS>`, the live name cut so the whole fits in 63 bytes
 * (the marker keeps the full name). `taken` adds `_2`, `_3` … within the same second.
 */
export function tendDatabaseName(
  live: string,
  kind: TendDatabaseKind,
  at: Date,
  taken: (name: string) => boolean = () => false,
): string {
  const base = `_tend_${kind}_${nameStamp(at)}`;
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? base : `${base}_${n}`;
    const name = `${fitBytes(live, MAX_NAME_BYTES - Buffer.byteLength(suffix))}${suffix}`;
    if (!taken(name)) return name;
  }
}

/** Whether a database name has the shape of one of Tend's, and which kind. */
export function tendDatabaseKind(name: string): TendDatabaseKind | null {
  const match = /_tend_(restore|undo)_\d{14}(?:_\d+)?$/.exec(name);
  return match ? (match[1] as TendDatabaseKind) : null;
}

/** The comment that marks one of Tend's databases. */
export function markerComment(marker: TendMarker): string {
  return `${MARKER_PREFIX}${JSON.stringify(marker)}`;
}

/** The marker in a database's comment, or null when it has none (or another comment). */
export function readMarker(comment: string | null): TendMarker | null {
  if (!comment?.startsWith(MARKER_PREFIX)) return null;
  try {
    const parsed = TendMarkerSchema.safeParse(JSON.parse(comment.slice(MARKER_PREFIX.length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One database on the server as Tend lists it. */
export interface ServerDatabase {
  name: string;
  comment: string | null;
  allowConnections: boolean;
  bytes: number;
}

/** One of Tend's databases, proven by its name and marker. */
export interface TendDatabase extends ServerDatabase {
  kind: TendDatabaseKind;
  marker: TendMarker;
}

/** Every database on the server (templates left out). */
export async function listServerDatabases(client: pg.Client): Promise<ServerDatabase[]> {
  const result = await client.query<{
    name: string;
    comment: string | null;
    allow: boolean;
    bytes: string;
  }>(
    `SELECT d.datname AS name, shobj_description(d.oid, 'pg_database') AS comment,
            d.datallowconn AS allow, pg_database_size(d.oid)::bigint AS bytes
       FROM pg_database d
      WHERE NOT d.datistemplate
      ORDER BY d.datname`,
  );
  return result.rows.map((row) => ({
    name: row.name,
    comment: row.comment,
    allowConnections: row.allow,
    bytes: Number(row.bytes),
  }));
}

/** The databases that are Tend's: name and marker both; for `live` only when given. */
export function tendDatabasesIn(
  databases: ReadonlyArray<ServerDatabase>,
  live?: string,
): TendDatabase[] {
  const found: TendDatabase[] = [];
  for (const database of databases) {
    const kind = tendDatabaseKind(database.name);
    const marker = readMarker(database.comment);
    if (!kind || !marker || marker.kind !== kind) continue;
    if (live !== undefined && marker.live !== live) continue;
    found.push({ ...database, kind, marker });
  }
  // Newest first: the stamp in the name sorts by time.
  return found.sort(
    (a, b) => b.marker.at.localeCompare(a.marker.at) || b.name.localeCompare(a.name),
  );
}

/** `COMMENT ON DATABASE <name> IS <text or NULL>`. */
export function commentSql(client: pg.Client, database: string, comment: string | null): string {
  return `COMMENT ON DATABASE ${client.escapeIdentifier(database)} IS ${
    comment === null ? 'NULL' : client.escapeLiteral(comment)
  }`;
}

/**
 * Drops one database, ending any session still on it (`WITH (FORCE)`, PostgreSQL 13 and
 * later; older servers get a plain DROP).
 */
export async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  const id = client.escapeIdentifier(name);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42601') throw error;
    await client.query(`DROP DATABASE IF EXISTS ${id}`);
  }
}
