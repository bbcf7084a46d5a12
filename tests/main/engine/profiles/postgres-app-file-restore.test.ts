/**
 * A whole-archive restore of a postgres-app backup (`tend restore apply`, the restore wizard)
 * brings the folder's files back, never the database's dump: `database/<name>.dump` and its
 * record belong to the restore by swap (`tend pg restore`), not to the folder. No server is
 * needed: the plan reads the manifest, so the dump here is only bytes in its place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupKind } from '../../../../src-shared/models/backup-manifest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import { backupServiceFor } from '../../../../src-main/engine/backup/backup-service';
import { Engine } from '../../../../src-main/engine/engine';
import type { RootSession } from '../../../../src-main/engine/root-session';
import { postgresAppFolder } from './app-profiles-support';

const DUMP = 'database/impactbot_v2.dump';

describe('a whole-archive restore of a postgres-app backup', () => {
  let base: string;
  let root: string;
  let dest: string;
  let engine: Engine;
  let session: RootSession;

  beforeEach(async () => {
    ({ base, root, dest } = await postgresAppFolder());
    engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    session = await engine.openRoot(root, { adopt: true });
    expect(session.profile.id).toBe('postgres-app');
  });

  afterEach(async () => {
    await engine.close();
  });

  /** A backup holding a database dump as the profile's capture writes it (bytes stand in). */
  async function backupWithDump(kind: BackupKind): Promise<BackupRecord> {
    const job = backupServiceFor(session, engine).start({
      kind,
      destination: dest,
      extraFiles: async (tempDir) => {
        const dump = path.join(tempDir, 'database.dump');
        fs.writeFileSync(dump, 'PGDMP stands in for a custom-format dump');
        fs.writeFileSync(`${dump}.json`, '{}\n');
        return [
          { path: DUMP, source: dump, category: 'irreplaceable', compressed: true },
          { path: `${DUMP}.json`, source: `${dump}.json`, category: 'irreplaceable' },
        ];
      },
    });
    const done = await session.jobs.wait(job.id);
    expect(done.error).toBe(null);
    return done.result as BackupRecord;
  }

  it('plans and applies the files but never writes the dump into the folder', async () => {
    const backup = await backupWithDump('full');
    const upload = fs
      .readdirSync(path.join(root, 'backend/uploads'), { recursive: true, withFileTypes: true })
      .find((entry) => entry.isFile())!;
    const uploadPath = path.join(upload.parentPath, upload.name);
    fs.rmSync(uploadPath);

    const plan = await engine.call('restore:plan', { backup: backup.id });
    expect(plan.refusals).toEqual([]);
    const planned = plan.changes.map((change) => change.path);
    expect(planned).toContain(path.relative(root, uploadPath).split(path.sep).join('/'));
    expect(
      planned.filter((file) => file.startsWith('database/') && file.includes('.dump')),
    ).toEqual([]);
    expect(plan.warnings.join('\n')).toContain(`tend pg restore ${backup.id}`);

    const job = await engine.call('restore:apply', { backup: backup.id });
    const done = await session.jobs.wait(job.id);
    expect(done.error).toBe(null);
    expect(fs.existsSync(uploadPath)).toBe(true);
    expect(fs.existsSync(path.join(root, DUMP))).toBe(false);
    expect(fs.existsSync(path.join(root, `${DUMP}.json`))).toBe(false);
    // The seed's own scripts under database/ are the folder's and stay.
    expect(fs.existsSync(path.join(root, 'database/backup-restore.sh'))).toBe(true);
  });

  it('refuses a database-only backup as a file restore, naming tend pg restore', async () => {
    const backup = await backupWithDump('database');
    const plan = await engine.call('restore:plan', { backup: backup.id });
    expect(plan.changes.map((change) => change.path)).toEqual([]);
    expect(plan.refusals.map((refusal) => refusal.code)).toContain('RESTORE_NOTHING_TO_RESTORE');
    expect(plan.refusals.map((refusal) => refusal.message).join('\n')).toContain(
      `tend pg restore ${backup.id}`,
    );
    expect(fs.existsSync(path.join(root, DUMP))).toBe(false);
  });
});
