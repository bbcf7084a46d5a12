/**
 * A demo folder of a profile written by a real engine (`demo:generate`, as `tend demo
 * --profile ID` does), with a backup destination beside it, and the engine's backup and
 * restore calls waited for: what the seed-profile tests back up, break and restore.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BackupRecord } from '../../../../../src-shared/models/backups';
import type { JobRecord } from '../../../../../src-shared/models/jobs';
import type { RestoreReport, RestoreScope } from '../../../../../src-shared/models/restore';
import { Engine } from '../../../../../src-main/engine/engine';
import { tempDir } from '../../../../support/temp-dir';
import { exactFingerprint } from '../../restore/support/exact-tree';

/** A profile's demo root behind an engine. */
export interface ProfileDemoFixture {
  readonly base: string;
  readonly root: string;
  readonly backups: string;
  readonly engine: Engine;
  /** Every entry of the root, exactly (Tend's own `.tend/` left out). */
  fingerprint(): string[];
  /** A full backup, finished. */
  backup(): Promise<BackupRecord>;
  /** A restore of `scope` from `backup`, finished: its job record. */
  restore(backup: BackupRecord, scope: RestoreScope): Promise<JobRecord>;
}

async function finished(engine: Engine, job: JobRecord): Promise<JobRecord> {
  return engine.requireSession().jobs.wait(job.id);
}

/** Writes the demo of `profile` with `seed` through a real engine and sets a destination. */
export async function profileDemoFixture(profile: string, seed = 3): Promise<ProfileDemoFixture> {
  const base = tempDir(`tend-${profile}-`);
  const root = path.join(base, 'root');
  const backups = path.join(base, 'backups');
  fs.mkdirSync(backups);
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  const demo = await finished(
    engine,
    await engine.call('demo:generate', { path: root, profile, size: 'small', seed }),
  );
  if (demo.state !== 'succeeded') throw new Error(JSON.stringify(demo.error));
  const settings = await engine.call('settings:get');
  await engine.call('settings:set', {
    settings: { ...settings, backup: { ...settings.backup, destination: backups } },
  });
  return {
    base,
    root,
    backups,
    engine,
    fingerprint: () => exactFingerprint(root),
    async backup() {
      const job = await finished(engine, await engine.call('backups:create', { kind: 'full' }));
      if (job.state !== 'succeeded') throw new Error(JSON.stringify(job.error));
      return job.result as BackupRecord;
    },
    async restore(backup, scope) {
      return finished(engine, await engine.call('restore:apply', { backup: backup.id, scope }));
    },
  };
}

/** The checks a finished restore reports. */
export function reportOf(job: JobRecord): RestoreReport {
  if (job.state !== 'succeeded') throw new Error(JSON.stringify(job.error));
  return job.result as RestoreReport;
}
