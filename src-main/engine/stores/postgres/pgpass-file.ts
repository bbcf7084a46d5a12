import type { ConnectionParams } from './connection-url';

/** One line of a `.pgpass`-style file: four patterns (or `*`) and the password. */
export interface PgpassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

/** Splits a line at unescaped colons, undoing libpq's `\:` and `\\` escapes. */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    if (char === '\\' && i + 1 < line.length) {
      current += line[i + 1];
      i += 1;
    } else if (char === ':') {
      fields.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  fields.push(current);
  return fields;
}

/**
 * Reads a password file in libpq's format: `hostname:port:database:username:password` a line,
 * `*` matching anything in the first four fields, `\:` and `\\` escaping, `#` starting a comment.
 * Lines with too few fields are skipped, as libpq skips them; a fifth field may hold colons
 * only when escaped.
 */
export function parsePgpass(text: string): PgpassEntry[] {
  const entries: PgpassEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line || line.startsWith('#')) continue;
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    const [host, port, database, user, ...rest] = fields as [
      string,
      string,
      string,
      string,
      ...string[],
    ];
    entries.push({ host, port, database, user, password: rest.join(':') });
  }
  return entries;
}

function matches(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value;
}

/**
 * The password of the first entry that matches the connection, as libpq picks it, or null.
 * A connection over a Unix socket also matches an entry whose host is `localhost`.
 */
export function findPgpassPassword(
  entries: ReadonlyArray<PgpassEntry>,
  params: ConnectionParams,
): string | null {
  const socket = params.host.startsWith('/');
  for (const entry of entries) {
    const hostMatches = matches(entry.host, params.host) || (socket && entry.host === 'localhost');
    if (
      hostMatches &&
      matches(entry.port, String(params.port)) &&
      matches(entry.database, params.database) &&
      matches(entry.user, params.user)
    ) {
      return entry.password;
    }
  }
  return null;
}
