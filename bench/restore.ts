/**
 * Restore: Tend's restore of a full backup of the medium demo, every file's SHA-256 checked,
 * against `tar xzf` of the same archive, in the same run, warm cache.
 *
 * - restoreSeconds / tarSeconds: a restore of everything into an empty data folder (staged
 *   extract with every hash checked, swap, validation: integrity_check and every index loaded
 *   and queried) divided by `tar xzf` into an empty folder. Goal: at most 1.0.
 * - extractSeconds / tarSeconds: the verified extract alone, to show where the time goes.
 * - planSeconds: planning "everything" over the live medium root. Goal: under a second.
 * - overLiveSeconds: a restore over the live root (adds a safety snapshot of what it replaces).
 *
 * tar, then the extract, then the restore, by turns: a warm-up round, then three, each ratio
 * the median of the rounds' ratios with their range.
 *
 * The archive is written once by the backup service (`tend backup create --kind full`) and
 * kept under .cache/bench/restore/. Restores are timed inside the process (the figure a user
 * waits for once Tend is running); tar is timed as its own process under GNU time.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RestoreReport } from '../src-shared/models/restore';
import { Engine } from '../src-main/engine/engine';
import { nativeProfile } from '../src-main/engine/profiles/native/native-profile';
import { profiledRoot } from '../src-main/engine/profiles/profiled-root';
import { locateArchive } from '../src-main/engine/restore/backup-locator';
import { planRestore } from '../src-main/engine/restore/restore-plan';
import { extractVerified } from '../src-main/engine/restore/verified-extract';
import { alternate, compared, roundSpread, spreadOf } from './pairs';
import type { BenchSuite } from './suites';
import { benchCacheDir, demoRoot, log, round, scratchDir, timeCommand, timeIt } from './support';

const PLAN_RUNS = 3;

/** The medium demo copied once, and a full backup of it written by the backup service. */
async function fullBackup(): Promise<{ root: string; archive: string }> {
  const base = path.join(benchCacheDir, 'restore');
  const root = path.join(base, 'root');
  const done = path.join(base, 'archive.txt');
  if (fs.existsSync(done)) return { root, archive: fs.readFileSync(done, 'utf8').trim() };
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });
  const demo = await demoRoot('medium');
  log('copying the medium demo and writing a full backup of it (once; later runs reuse it)');
  const copy = spawnSync('cp', ['-a', demo, root]);
  if (copy.status !== 0) throw new Error(`cp failed: ${copy.stderr}`);
  fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root });
  try {
    const settings = await engine.call('settings:get');
    await engine.call('settings:set', {
      settings: {
        ...settings,
        backup: { ...settings.backup, destination: path.join(base, 'backups') },
      },
    });
    const job = await engine.call('backups:create', { kind: 'full' });
    const finished = await engine.requireSession().jobs.wait(job.id);
    if (finished.error) throw new Error(`backup failed: ${finished.error.message}`);
    const record = finished.result as { destination: string; fileName: string };
    const archive = path.join(record.destination, record.fileName);
    fs.writeFileSync(done, archive);
    return { root, archive };
  } finally {
    await engine.close();
  }
}

async function restoreIntoEmpty(archive: string, scratch: string): Promise<number> {
  const root = path.join(scratch, 'root');
  fs.rmSync(root, { recursive: true, force: true });
  const engine = await Engine.start({ appStateDir: path.join(scratch, 'state'), root: null });
  try {
    await engine.call('root:create', { path: root });
    const { seconds, value } = await timeIt(async () => {
      const job = await engine.call('restore:apply', {
        backup: archive,
        scope: { kind: 'everything' },
      });
      return engine.requireSession().jobs.wait(job.id);
    });
    if (value.error) throw new Error(`restore failed: ${value.error.code} ${value.error.message}`);
    const report = value.result as RestoreReport;
    if (report.outcome !== 'restored') throw new Error('restore rolled back');
    return seconds;
  } finally {
    await engine.close();
  }
}

/** The restore suite. */
export const restoreSuite: BenchSuite = {
  description:
    'restore of a full backup of the medium demo (every hash checked) vs tar xzf; plan time',
  async run() {
    const { root, archive } = await fullBackup();
    const located = await locateArchive(archive);
    const scratch = scratchDir('restore');
    const tarOut = path.join(scratch, 'tar');

    const rounds = await alternate({
      label: 'restore',
      standard: async () => {
        fs.rmSync(tarOut, { recursive: true, force: true });
        fs.mkdirSync(tarOut);
        const { seconds } = await timeCommand('tar', ['xzf', archive, '-C', tarOut]);
        fs.rmSync(tarOut, { recursive: true, force: true });
        return seconds;
      },
      tend: async () => {
        const target = path.join(scratch, 'extract');
        fs.rmSync(target, { recursive: true, force: true });
        fs.mkdirSync(target);
        const extract = await timeIt(() =>
          extractVerified({
            archivePath: archive,
            manifest: located.sidecar,
            target,
            signal: new AbortController().signal,
          }),
        );
        fs.rmSync(target, { recursive: true, force: true });
        return { extract: extract.seconds, restore: await restoreIntoEmpty(archive, scratch) };
      },
      describe: (tend, tar) =>
        `tar ${round(tar)} s, extract ${round(tend.extract)} s, restore ${round(tend.restore)} s`,
    });

    const planTimes: number[] = [];
    for (let run = 0; run < PLAN_RUNS; run++) {
      planTimes.push(
        (
          await timeIt(async () =>
            planRestore(profiledRoot(root, nativeProfile), located, { kind: 'everything' }),
          )
        ).seconds,
      );
    }

    // Over the live root: plan, safety snapshot, extract, swap, validation.
    const engine = await Engine.start({
      appStateDir: path.join(benchCacheDir, 'restore', 'state'),
      root,
    });
    let overLive: number;
    try {
      const { seconds, value } = await timeIt(async () => {
        const job = await engine.call('restore:apply', {
          backup: archive,
          scope: { kind: 'everything' },
        });
        return engine.requireSession().jobs.wait(job.id);
      });
      if (value.error) throw new Error(`restore over the live root failed: ${value.error.message}`);
      overLive = seconds;
    } finally {
      await engine.close();
    }

    return {
      archiveBytes: fs.statSync(archive).size,
      files: located.sidecar?.totals.files ?? null,
      dataBytes: located.sidecar?.totals.bytes ?? null,
      // A restore of everything into an empty folder, every hash checked, against tar xzf.
      restore: compared(
        rounds.tend.map((run) => run.restore),
        rounds.standard,
        1,
      ),
      // The verified unpacking alone, against the same tar runs.
      extract: compared(
        rounds.tend.map((run) => run.extract),
        rounds.standard,
      ),
      planSeconds: { ...roundSpread(spreadOf(planTimes)), goal: 1 },
      overLiveSeconds: round(overLive),
    };
  },
};
