/**
 * Every backup of a postgres-app folder holds its database once a connection is saved: the
 * ordinary `backups:create` (and so the schedules), not only `tend pg backup`. Against a real
 * throwaway cluster; skipped, saying why, where the server programs are missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import { Engine } from '../../../../src-main/engine/engine';
import {
  DEMO_DATABASE_VARIABLE,
  postgresAppDemo,
} from '../../../../src-main/engine/profiles/postgres-app/postgres-app-demo';
import { writePostgresSettings } from '../../../../src-main/engine/profiles/postgres-app/postgres-settings';
import { tempDir } from '../../../support/temp-dir';
import { postgresAppFolder } from './app-profiles-support';
import {
  countRows,
  createSeedDatabase,
  describePostgres,
  withSuperuser,
  PASSWORD_VARIABLE,
  useCluster,
} from '../stores/postgres/support/cluster';

afterEach(() => {
  delete process.env[PASSWORD_VARIABLE];
  delete process.env[DEMO_DATABASE_VARIABLE];
  delete process.env.PGPASSWORD;
});

describePostgres('backups of a postgres-app folder', () => {
  const cluster = useCluster();

  it('hold the database dump in a critical backup once connected, and files only before', async () => {
    const { base, root, dest } = await postgresAppFolder();
    await createSeedDatabase(cluster(), 'scheduled');
    const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    try {
      const session = await engine.openRoot(root, { adopt: true });
      expect(session.profile.id).toBe('postgres-app');
      const backUp = async () => {
        const job = await engine.call('backups:create', { kind: 'critical', destination: dest });
        const done = await session.jobs.wait(job.id);
        expect(done.error).toBe(null);
        const record = done.result as BackupRecord;
        return execFileSync('tar', ['-tzf', path.join(dest, record.fileName)], {
          encoding: 'utf8',
        }).split('\n');
      };
      const before = await backUp();
      expect(before.some((entry) => entry.startsWith('backend/uploads/'))).toBe(true);
      expect(before.some((entry) => entry.startsWith('database/') && entry.endsWith('.dump'))).toBe(
        false,
      );

      process.env[PASSWORD_VARIABLE] = cluster().password;
      await writePostgresSettings(session.state, {
        url: cluster().url('scheduled'),
        password: { from: 'env', variable: PASSWORD_VARIABLE },
      });
      const after = await backUp();
      expect(after).toContain('database/scheduled.dump');
      expect(after).toContain('database/scheduled.dump.json');

      // The pages' channels: the status, the usage by table, the backup before an update.
      expect(await engine.call('pg:status')).toEqual({
        applies: true,
        connected: true,
        url: cluster().url('scheduled'),
      });
      const usage = await engine.call('pg:usage');
      expect(usage.tables.map((table) => table.name).sort()).toEqual([
        'chats',
        'measurements',
        'messages',
        'users',
      ]);
      const guard = await engine.call('pg:guard', { destination: dest });
      const guarded = await session.jobs.wait(guard.id);
      expect(guarded.error).toBe(null);
      expect((guarded.result as BackupRecord).kind).toBe('pre-update');
    } finally {
      await engine.close();
    }
  });

  it('the demo fills an empty database given by URL, and refuses one that has tables', async () => {
    await withSuperuser(cluster(), 'postgres', (client) =>
      client.query('CREATE DATABASE demo_fill'),
    );
    const write = async (root: string) => {
      fs.mkdirSync(root, { recursive: true });
      return postgresAppDemo.write({
        root,
        size: 'small',
        seed: 1,
        signal: new AbortController().signal,
        onProgress: () => {},
      });
    };
    process.env[DEMO_DATABASE_VARIABLE] = cluster().url('demo_fill');
    process.env.PGPASSWORD = cluster().password;
    const root = path.join(tempDir(), 'bot');
    const result = await write(root);
    expect(result.database).toMatchObject({ database: 'demo_fill' });
    expect(await countRows(cluster(), 'demo_fill', 'users')).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(root, '.env'), 'utf8')).toContain(cluster().url('demo_fill'));
    await expect(write(path.join(tempDir(), 'again'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
