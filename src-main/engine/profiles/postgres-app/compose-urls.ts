/**
 * The database and Redis URLs a seed-003 folder names in its `.env` and compose files, for the
 * person to confirm (`tend pg check` without a setting, `tend pg connect` without a URL).
 * The password in such a URL is never kept: it is cut out and only said to be there.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { postgresAppPaths } from './postgres-app-paths';

/** A URL found in one of the folder's files. */
export interface NamedUrl {
  /** Root-relative file it was found in. */
  readonly file: string;
  /** The variable it was assigned to (`DATABASE_URL`), or null. */
  readonly variable: string | null;
  /** The URL without any password (`postgresql://postgres@database:5432/impactbot_v2`). */
  readonly url: string;
  /** Whether the file held a password (or a `${…}` placeholder for one) in it. */
  readonly hadPassword: boolean;
}

const URL_PATTERN = /\b((?:postgres(?:ql)?|rediss?):\/\/[^\s'"`]+)/g;

/** Cuts the password out of a URL's user part: `user:secret@host` → `user@host`. */
export function withoutPassword(url: string): { url: string; hadPassword: boolean } {
  const match = /^([a-z]+:\/\/)([^@/]*)@(.*)$/i.exec(url);
  if (!match) return { url, hadPassword: false };
  const [, scheme, userinfo, rest] = match as unknown as [string, string, string, string];
  const colon = userinfo.indexOf(':');
  if (colon === -1) return { url, hadPassword: false };
  const user = userinfo.slice(0, colon);
  return { url: `${scheme}${user ? `${user}@` : ''}${rest}`, hadPassword: true };
}

/** Every PostgreSQL or Redis URL in a text, with the variable each was assigned to. */
export function urlsInText(file: string, text: string): NamedUrl[] {
  const found: NamedUrl[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue;
    const variable = /^\s*-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*[=:]/.exec(line)?.[1] ?? null;
    for (const match of line.matchAll(URL_PATTERN)) {
      const { url, hadPassword } = withoutPassword(match[1]!);
      found.push({ file, variable, url, hadPassword });
    }
  }
  return found;
}

/** Whether a URL names PostgreSQL (else Redis). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}

/** The URLs the folder's `.env` and compose files name, `.env` first. Reads only. */
export async function namedUrls(root: string): Promise<NamedUrl[]> {
  const files = [postgresAppPaths.env, postgresAppPaths.compose, postgresAppPaths.composeOverride];
  const found: NamedUrl[] = [];
  for (const file of files) {
    const text = await fs.readFile(path.join(root, file), 'utf8').catch(() => null);
    if (text !== null) found.push(...urlsInText(file, text.slice(0, 256 * 1024)));
  }
  return found;
}
