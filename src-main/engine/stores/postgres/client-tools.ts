import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { TendFailure } from '../../../../src-shared/errors';

const run = promisify(execFile);

/** The pg_dump and pg_restore Tend runs, from one installation, and their version. */
export interface PostgresTools {
  pgDump: string;
  pgRestore: string;
  /** As the tool prints it, e.g. `15.18`. */
  version: string;
  major: number;
}

/** One pg_dump found, with the version it reports. */
export interface ToolCandidate {
  pgDump: string;
  version: string;
  major: number;
}

/**
 * The major version from `pg_dump --version` or the server's `server_version`
 * ("pg_dump (PostgreSQL) 15.18 (Debian …)" → 15; "9.6.24" → 9.6 counts as 9).
 */
export function parseMajorVersion(text: string): { version: string; major: number } | null {
  const match = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.replace(/^[^0-9]*/, ''));
  if (!match) return null;
  const major = Number(match[1]);
  const version = match[0];
  return { version, major };
}

/**
 * Picks the tools that can dump a server of `serverMajor`: pg_dump reads servers of its own
 * major version and older, never newer. The first candidate on the PATH wins when it can;
 * otherwise the oldest installed major that still can (the closest match to the server).
 */
export function chooseTools(
  candidates: ReadonlyArray<ToolCandidate>,
  serverMajor: number,
): ToolCandidate | null {
  const able = candidates.filter((candidate) => candidate.major >= serverMajor);
  if (able.length === 0) return null;
  const first = candidates[0];
  if (first && first.major >= serverMajor) return first;
  return [...able].sort((a, b) => a.major - b.major)[0] ?? null;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every pg_dump on the PATH, then in /usr/lib/postgresql/<major>/bin, newest first. */
async function candidatePaths(envPath: string, debianLib: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, 'pg_dump');
    if (await isExecutable(file)) found.push(file);
  }
  let versions: string[] = [];
  try {
    versions = await fs.readdir(debianLib);
  } catch {
    // Not a Debian-style install.
  }
  for (const version of versions
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))) {
    const file = path.join(debianLib, version, 'bin', 'pg_dump');
    if (await isExecutable(file)) found.push(file);
  }
  // The same program reached by two paths (a symlink on PATH) counts once.
  const unique = new Map<string, string>();
  for (const file of found) {
    const real = await fs.realpath(file).catch(() => file);
    if (!unique.has(real)) unique.set(real, file);
  }
  return [...unique.values()];
}

async function describeCandidate(pgDump: string): Promise<ToolCandidate | null> {
  try {
    const { stdout } = await run(pgDump, ['--version'], { timeout: 10_000 });
    const parsed = parseMajorVersion(stdout);
    return parsed ? { pgDump, ...parsed } : null;
  } catch {
    return null;
  }
}

/** Where to look; tests point these elsewhere. */
export interface ToolSearch {
  /** Default: the PATH of this process. */
  envPath?: string;
  /** Default: /usr/lib/postgresql. */
  debianLib?: string;
}

/** Every pg_dump found with its version, PATH first. */
export async function findDumpCandidates(search: ToolSearch = {}): Promise<ToolCandidate[]> {
  const paths = await candidatePaths(
    search.envPath ?? process.env.PATH ?? '',
    search.debianLib ?? '/usr/lib/postgresql',
  );
  const candidates: ToolCandidate[] = [];
  for (const file of paths) {
    const candidate = await describeCandidate(file);
    if (candidate) candidates.push(candidate);
  }
  return candidates;
}

/**
 * The pg_dump and pg_restore that can dump a server of `serverVersion`, or a clear error:
 * PG_TOOLS_MISSING when there is no pg_dump (or no pg_restore beside it), PG_TOOLS_TOO_OLD
 * naming both versions when every pg_dump found is older than the server.
 */
export async function findTools(
  serverVersion: string,
  search: ToolSearch = {},
): Promise<PostgresTools> {
  const server = parseMajorVersion(serverVersion);
  if (!server)
    throw new TendFailure(
      'PG_QUERY_FAILED',
      `The server reported an unreadable version "${serverVersion}".`,
    );
  const candidates = await findDumpCandidates(search);
  if (candidates.length === 0) {
    throw new TendFailure(
      'PG_TOOLS_MISSING',
      'No pg_dump was found on the PATH or in /usr/lib/postgresql/*/bin. Install the PostgreSQL ' +
        `${server.major} client tools (on Debian and Ubuntu: apt-get install postgresql-client-${server.major}).`,
    );
  }
  const chosen = chooseTools(candidates, server.major);
  if (!chosen) {
    const newest = [...candidates].sort((a, b) => b.major - a.major)[0]!;
    throw new TendFailure(
      'PG_TOOLS_TOO_OLD',
      `pg_dump ${newest.version} (${newest.pgDump}) cannot dump a PostgreSQL ${server.version} ` +
        `server: pg_dump must be version ${server.major} or newer. Install the PostgreSQL ` +
        `${server.major} client tools (on Debian and Ubuntu: apt-get install postgresql-client-${server.major}).`,
      {
        serverVersion: server.version,
        pgDumpVersion: newest.version,
        found: candidates.map((c) => ({ path: c.pgDump, version: c.version })),
      },
    );
  }
  const pgRestore = path.join(path.dirname(chosen.pgDump), 'pg_restore');
  if (!(await isExecutable(pgRestore))) {
    throw new TendFailure(
      'PG_TOOLS_MISSING',
      `pg_restore is missing beside ${chosen.pgDump}; install the full PostgreSQL client tools.`,
    );
  }
  return { pgDump: chosen.pgDump, pgRestore, version: chosen.version, major: chosen.major };
}
