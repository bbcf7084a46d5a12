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
 * - export, on the medium demo and on the small-files tree (bench/small-files-tree.ts, 20,000
 *   files): `tend restore export` as a person runs it (whole process: Node, the CLI, every
 *   hash checked) against `tar xzf` of the same archive into an empty folder. Goal: at most 0.9.
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
import { fileURLToPath } from 'node:url';
import { alternate, compared, roundSpread, spreadOf } from './pairs';
import { smallFilesRoot } from './small-files-tree';
import type { BenchSuite } from './suites';
import { benchCacheDir, demoRoot, log, round, scratchDir, timeCommand, timeIt } from './support';

const PLAN_RUNS = 3;
const tendBin = fileURLToPath(new URL('../bin/tend.mjs', import.meta.url));

/**
 * A tree copied once under .cache/bench/<name>/, and a full backup of it written by the
 * backup service.
 */
async function fullBackup(
  name: string,
  source: () => Promise<string>,
): Promise<{ root: string; archive: string; state: string }> {
  const base = path.join(benchCacheDir, name);
  const root = path.join(base, 'root');
  const state = path.join(base, 'state');
  const done = path.join(base, 'archive.txt');
  if (fs.existsSync(done)) {
    return { root, archive: fs.readFileSync(done, 'utf8').trim(), state };
  }
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });
  const tree = await source();
  log(`copying ${tree} and writing a full backup of it (once; later runs reuse it)`);
  const copy = spawnSync('cp', ['-a', tree, root]);
  if (copy.status !== 0) throw new Error(`cp failed: ${copy.stderr}`);
  fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
  const engine = await Engine.start({ appStateDir: state, root });
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
    return { root, archive, state };
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

/**
 * `tend restore export` (a whole process, every hash checked) against `tar xzf` of the same
 * archive, each into an empty folder, by turns.
 */
async function exportVsTar(
  tree: string,
  backup: { root: string; archive: string; state: string },
): Promise<Record<string, unknown>> {
  const scratch = scratchDir('restore-export');
  const tarOut = path.join(scratch, 'tar');
  const target = path.join(scratch, 'export');
  const env = { ...process.env, TEND_STATE_DIR: backup.state };
  const runs = await alternate({
    label: `export (${tree})`,
    standard: async () => {
      fs.rmSync(tarOut, { recursive: true, force: true });
      fs.mkdirSync(tarOut);
      const measured = await timeCommand('tar', ['xzf', backup.archive, '-C', tarOut]);
      fs.rmSync(tarOut, { recursive: true, force: true });
      return measured;
    },
    tend: async () => {
      fs.rmSync(target, { recursive: true, force: true });
      const measured = await timeCommand(
        process.execPath,
        [tendBin, 'restore', 'export', '--root', backup.root, backup.archive, target],
        { env },
      );
      fs.rmSync(target, { recursive: true, force: true });
      return measured;
    },
    describe: (tend, tar) =>
      `tend restore export ${round(tend.seconds)} s (${round(tend.cpuSeconds)} s CPU), tar xzf ${round(tar.seconds)} s (${round(tar.cpuSeconds)} s CPU)`,
  });
  fs.rmSync(scratch, { recursive: true, force: true });
  return {
    tree,
    export: compared(
      runs.tend.map((run) => run.seconds),
      runs.standard.map((run) => run.seconds),
      0.9,
    ),
    exportCpu: compared(
      runs.tend.map((run) => run.cpuSeconds),
      runs.standard.map((run) => run.cpuSeconds),
    ),
  };
}

/** The restore suite. */
export const restoreSuite: BenchSuite = {
  description:
    'restore of a full backup of the medium demo (every hash checked) vs tar xzf; plan time; tend restore export vs tar xzf on the demo and on 20,000 small files',
  async run() {
    const demoBackup = await fullBackup('restore', () => demoRoot('medium'));
    const smallBackup = await fullBackup('restore-small-files', async () => smallFilesRoot());
    const exports = {
      demo: await exportVsTar('medium demo', demoBackup),
      smallFiles: await exportVsTar('small files', smallBackup),
    };
    const { root, archive } = demoBackup;
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
      tree: 'medium demo',
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
      export: exports,
    };
  },
};
