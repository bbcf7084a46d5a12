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
import { postgresAppDemo } from '../../../../src-main/engine/profiles/postgres-app/postgres-app-demo';
import { writePostgresSettings } from '../../../../src-main/engine/profiles/postgres-app/postgres-settings';
import { tempDir } from '../../../support/temp-dir';
import {
  createSeedDatabase,
  describePostgres,
  PASSWORD_VARIABLE,
  useCluster,
} from '../stores/postgres/support/cluster';

afterEach(() => {
  delete process.env[PASSWORD_VARIABLE];
});

describePostgres('backups of a postgres-app folder', () => {
  const cluster = useCluster();

  it('hold the database dump in a critical backup once connected, and files only before', async () => {
    const base = tempDir();
    const root = path.join(base, 'bot');
    const dest = path.join(base, 'dest');
    fs.mkdirSync(root);
    fs.mkdirSync(dest);
    await postgresAppDemo.write({
      root,
      size: 'small',
      seed: 1,
      signal: new AbortController().signal,
      onProgress: () => {},
    });
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
    } finally {
      await engine.close();
    }
  });
});
