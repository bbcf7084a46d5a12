import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { TendFailure } from '../../../../../src-shared/errors';
import { inspectDatabase } from '../../../../../src-main/engine/stores/postgres/adoption-check';
import { resolveConnection } from '../../../../../src-main/engine/stores/postgres/connection';
import { tempDir, writeFile } from '../../../../support/temp-dir';
import {
  connectionTo,
  createSeedDatabase,
  describePostgres,
  listDatabases,
  PASSWORD_VARIABLE,
  useCluster,
} from './support/cluster';

async function failureOf(work: Promise<unknown>): Promise<TendFailure> {
  try {
    await work;
  } catch (error) {
    if (error instanceof TendFailure) return error;
    throw error;
  }
  throw new Error('expected a TendFailure');
}

/** A folder holding a fake `pg_dump` that reports `version`, for the version check. */
function fakePgDump(version: string): string {
  const dir = tempDir('tend-fake-pg-');
  for (const tool of ['pg_dump', 'pg_restore']) {
    writeFile(path.join(dir, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) ${version}"\n`);
    fs.chmodSync(path.join(dir, tool), 0o755);
  }
  return dir;
}

describePostgres('adopting a PostgreSQL database', () => {
  const cluster = useCluster();

  it('reports the server version, size, table count and a pg_dump that can dump it', async () => {
    await createSeedDatabase(cluster(), 'impactbot');
    const facts = await inspectDatabase(await connectionTo(cluster(), 'impactbot'));
    expect(facts.database).toBe('impactbot');
    expect(facts.serverMajor).toBe(cluster().major);
    expect(facts.serverVersion).toMatch(/^\d+\.\d+/);
    expect(facts.tableCount).toBe(4);
    expect(facts.databaseBytes).toBeGreaterThan(100_000);
    expect(facts.tools.major).toBeGreaterThanOrEqual(facts.serverMajor);
    expect(fs.existsSync(facts.tools.pgRestore)).toBe(true);
    expect(facts.target).toBe(`database "impactbot" on 127.0.0.1:${cluster().port} as postgres`);
  });

  it('a wrong password is PG_AUTH_FAILED, and the password is not in the message', async () => {
    const before = await listDatabases(cluster());
    const connection = await resolveConnection(
      { url: cluster().url('postgres'), password: { from: 'env', variable: 'PW' } },
      { PW: 'not-the-password-42' },
    );
    const failure = await failureOf(inspectDatabase(connection));
    expect(failure.code).toBe('PG_AUTH_FAILED');
    expect(failure.message).toMatch(/refused postgres's sign-in/);
    expect(failure.message).not.toContain('not-the-password-42');
    expect(await listDatabases(cluster())).toEqual(before);
  });

  it('an unreachable server is PG_UNREACHABLE', async () => {
    const closed = cluster().port === 1 ? 2 : 1;
    const connection = await resolveConnection(
      { url: `postgresql://postgres@127.0.0.1:${closed}/postgres`, password: { from: 'none' } },
      {},
    );
    const failure = await failureOf(inspectDatabase(connection));
    expect(failure.code).toBe('PG_UNREACHABLE');
    expect(failure.message).toMatch(/cannot reach database "postgres" on 127\.0\.0\.1:\d+/);
  });

  it('a database that does not exist is PG_DATABASE_MISSING', async () => {
    const failure = await failureOf(inspectDatabase(await connectionTo(cluster(), 'no_such_db')));
    expect(failure.code).toBe('PG_DATABASE_MISSING');
    expect(failure.message).toMatch(/"no_such_db" .* does not exist/);
  });

  it('a password variable that is not set is PG_PASSWORD_UNAVAILABLE, before any connection', async () => {
    const failure = await failureOf(
      resolveConnection(
        { url: cluster().url('postgres'), password: { from: 'env', variable: PASSWORD_VARIABLE } },
        {},
      ),
    );
    expect(failure.code).toBe('PG_PASSWORD_UNAVAILABLE');
    expect(failure.message).toContain(PASSWORD_VARIABLE);
  });

  it('no password at all, where the server asks for one, is PG_PASSWORD_UNAVAILABLE', async () => {
    const connection = await resolveConnection(
      { url: cluster().url('postgres'), password: { from: 'none' } },
      {},
    );
    const failure = await failureOf(inspectDatabase(connection));
    expect(failure.code).toBe('PG_PASSWORD_UNAVAILABLE');
  });

  it('reads the password from a .pgpass-style file the person names, refusing one others can read', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'pgpass');
    writeFile(file, `127.0.0.1:${cluster().port}:*:postgres:${cluster().password}\n`);
    fs.chmodSync(file, 0o644);
    const settings = {
      url: cluster().url('postgres'),
      password: { from: 'file' as const, path: file },
    };
    const open = await failureOf(resolveConnection(settings, {}));
    expect(open.code).toBe('PG_PASSWORD_UNAVAILABLE');
    expect(open.message).toContain(`chmod 600 ${file}`);

    fs.chmodSync(file, 0o600);
    const facts = await inspectDatabase(await resolveConnection(settings, {}));
    expect(facts.database).toBe('postgres');

    writeFile(file, `otherhost:5432:*:postgres:x\n`);
    const missing = await failureOf(resolveConnection(settings, {}));
    expect(missing.code).toBe('PG_PASSWORD_UNAVAILABLE');
    expect(missing.message).toMatch(/has no line for database "postgres"/);
  });

  it('a pg_dump older than the server is PG_TOOLS_TOO_OLD naming both versions', async () => {
    const old = fakePgDump('9.6.24');
    const failure = await failureOf(
      inspectDatabase(await connectionTo(cluster(), 'postgres'), {
        envPath: old,
        debianLib: tempDir(),
      }),
    );
    expect(failure.code).toBe('PG_TOOLS_TOO_OLD');
    expect(failure.message).toMatch(
      new RegExp(`pg_dump 9\\.6\\.24 .*cannot dump a PostgreSQL ${cluster().major}\\.\\d+ server`),
    );
    expect(failure.message).toContain(`postgresql-client-${cluster().major}`);
  });

  it('no pg_dump at all is PG_TOOLS_MISSING', async () => {
    const failure = await failureOf(
      inspectDatabase(await connectionTo(cluster(), 'postgres'), {
        envPath: tempDir(),
        debianLib: tempDir(),
      }),
    );
    expect(failure.code).toBe('PG_TOOLS_MISSING');
  });

  it('prefers a newer pg_dump from /usr/lib/postgresql/<major>/bin over an old one on the PATH', async () => {
    const old = fakePgDump('9.6.24');
    const lib = tempDir();
    const newer = path.join(lib, '99', 'bin');
    fs.mkdirSync(newer, { recursive: true });
    for (const tool of ['pg_dump', 'pg_restore']) {
      fs.copyFileSync(path.join(fakePgDump('99.1'), tool), path.join(newer, tool));
      fs.chmodSync(path.join(newer, tool), 0o755);
    }
    const facts = await inspectDatabase(await connectionTo(cluster(), 'postgres'), {
      envPath: old,
      debianLib: lib,
    });
    expect(facts.tools).toEqual({
      pgDump: path.join(newer, 'pg_dump'),
      pgRestore: path.join(newer, 'pg_restore'),
      version: '99.1',
      major: 99,
    });
  });
});
