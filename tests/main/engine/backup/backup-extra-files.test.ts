/**
 * Files from outside the root in a backup (a profile's database dump): archived at their
 * root-relative path with the hash of their bytes, stored as is when already compressed, and
 * taking the place of a file of the folder at the same path (with a warning). A capture that
 * fails fails the backup and leaves nothing at the destination.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TendFailure } from '../../../../src-shared/errors';
import type { BackupSidecar } from '../../../../src-shared/models/backup-manifest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import { backupServiceFor } from '../../../../src-main/engine/backup/backup-service';
import { writeFile } from '../../../support/temp-dir';
import { backupFixture, gnuExtract } from './backup-fixture';

describe('extra files in a backup', () => {
  it('archives them with their hash, in place of a file of the folder at that path', async () => {
    const { base, root, destination, engine } = await backupFixture();
    try {
      writeFile(path.join(root, 'config/database/bot.dump'), 'the folder’s own file');
      const dump = Buffer.from('PGDMP pretend custom-format bytes '.repeat(1000));
      const session = engine.requireSession();
      const job = backupServiceFor(session, engine).start({
        kind: 'critical',
        extraFiles: async (tempDir) => {
          const file = path.join(tempDir, 'db.dump');
          fs.writeFileSync(file, dump);
          return [
            {
              path: 'config/database/bot.dump',
              source: file,
              category: 'irreplaceable',
              compressed: true,
            },
          ];
        },
      });
      const ended = await session.jobs.wait(job.id);
      expect(ended.error).toBe(null);
      const record = ended.result as BackupRecord;
      const sidecar = JSON.parse(
        fs.readFileSync(path.join(destination, `${record.id}.manifest.json`), 'utf8'),
      ) as BackupSidecar;
      const entries = sidecar.entries.filter((entry) => entry.path === 'config/database/bot.dump');
      expect(entries).toEqual([
        expect.objectContaining({
          type: 'file',
          size: dump.length,
          sha256: createHash('sha256').update(dump).digest('hex'),
        }),
      ]);
      expect(sidecar.warnings.map((warning) => warning.path)).toContain('config/database/bot.dump');
      const out = gnuExtract(path.join(destination, record.fileName), path.join(base, 'out'));
      expect(fs.readFileSync(path.join(out, 'config/database/bot.dump'))).toEqual(dump);
    } finally {
      await engine.close();
    }
  });

  it('a capture that fails fails the backup: no archive, no sidecar, no temp files', async () => {
    const { destination, engine } = await backupFixture();
    try {
      const session = engine.requireSession();
      const job = backupServiceFor(session, engine).start({
        kind: 'critical',
        extraFiles: async (tempDir) => {
          fs.writeFileSync(path.join(tempDir, 'db.dump.partial'), 'half');
          throw new TendFailure('PG_DUMP_FAILED', 'pg_dump was killed.');
        },
      });
      const ended = await session.jobs.wait(job.id);
      expect(ended.error).toMatchObject({ code: 'PG_DUMP_FAILED' });
      expect(fs.readdirSync(destination)).toEqual([]);
      expect(fs.readdirSync(session.state.backupTemp)).toEqual([]);
      expect(backupServiceFor(session, engine).list()[0]).toMatchObject({ state: 'failed' });
    } finally {
      await engine.close();
    }
  });
});
