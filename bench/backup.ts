/**
 * Backups, on two trees: the medium demo (fewer, larger files) and the small-files tree
 * (bench/small-files-tree.ts: 20,000 files, most of them small JSON). On each, a full backup
 * against `tar czf` of the same files, in the same run, warm cache, by turns (tar, then Tend; a warm-up pair, then three), each figure
 * the median of the pairs' ratios with their range; verify against `gzip -t` plus `sha256sum`
 * of the extracted files, by turns too.
 *
 * Tend runs as a user runs it, through the CLI (`tend backup create`), so its wall time and
 * peak RSS include starting Node and the command line; the engine's own time (from the job's
 * record) is given beside it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackupRecord } from '../src-shared/models/backups';
import { categoriesForKind, scanScope } from '../src-main/engine/backup/backup-scope';
import { nativeProfile } from '../src-main/engine/profiles/native/native-profile';
import { profiledRoot } from '../src-main/engine/profiles/profiled-root';
import { alternate, compared, spreadOf, roundSpread } from './pairs';
import type { BenchSuite } from './suites';
import { smallFilesRoot } from './small-files-tree';
import { demoRoot, log, round, scratchDir, timeCommand, type Measured } from './support';

const here = path.dirname(fileURLToPath(import.meta.url));
const tendBin = path.resolve(here, '..', 'bin', 'tend.mjs');

/** Tend's figure against the tool's for one field of the measured runs. */
function field(
  runs: { tend: ReadonlyArray<Measured>; standard: ReadonlyArray<Measured> },
  key: keyof Measured,
  goal?: number,
) {
  return compared(
    runs.tend.map((run) => run[key]),
    runs.standard.map((run) => run[key]),
    goal,
  );
}

/** The backup suite. */
export const backupSuite: BenchSuite = {
  description:
    'full backup vs tar czf (wall, CPU, size, peak RSS); verify vs gzip -t + sha256sum; on the medium demo and on 20,000 small files',
  async run() {
    const demo = await measureTree('medium demo', await demoRoot('medium'), 0.25);
    const smallFiles = await measureTree('small files', smallFilesRoot(), 0.35);
    return { demo, smallFiles };
  },
};

/** Every figure of the suite on one tree; `goal` is the most the backup's wall ratio may be. */
async function measureTree(
  tree: string,
  source: string,
  goal: number,
): Promise<Record<string, unknown>> {
  log(`backup on the ${tree} tree`);
  const work = scratchDir('backup');
  const root = path.join(work, 'root');
  // The CLI writes Tend's catalog into the root: work on a copy, the cached tree stays clean.
  execFileSync('cp', ['-a', source, root]);
  const env = { ...process.env, TEND_STATE_DIR: path.join(work, 'state') };

  // The same entries tar gets: every folder, file and link a full backup holds.
  const scope = await scanScope(root, categoriesForKind('full'), null, {
    categorizer: profiledRoot(root, nativeProfile).categorize,
  });
  const list = path.join(work, 'files.list');
  fs.writeFileSync(list, scope.entries.map((entry) => `${entry.path}\0`).join(''));
  const tarArchive = path.join(work, 'tar.tar.gz');
  const tarArgs = ['czf', tarArchive, '-C', root, '--no-recursion', '--null', '-T', list];

  // Each backup into a fresh destination folder, removed once measured (the disk holds one
  // archive of each side at a time), but for the first measured one, kept for the verify.
  let kept: { record: BackupRecord; dest: string } | null = null;
  const records: BackupRecord[] = [];
  const backups = await alternate({
    label: `full backup (${tree})`,
    standard: () => timeCommand('tar', tarArgs),
    tend: async (run) => {
      const dest = path.join(work, `dest-${run}`);
      const out = path.join(work, `create-${run}.json`);
      const measured = await timeCommand(
        process.execPath,
        [tendBin, 'backup', 'create', '--root', root, '--dest', dest, '--kind', 'full', '--json'],
        { env, stdout: out },
      );
      const record = JSON.parse(fs.readFileSync(out, 'utf8')) as BackupRecord;
      if (run === 1) kept = { record, dest };
      else fs.rmSync(dest, { recursive: true, force: true });
      if (run >= 1) records.push(record);
      return measured;
    },
    describe: (tend, tar) =>
      `tend ${round(tend.seconds)} s (${round(tend.cpuSeconds)} s CPU), tar ${round(tar.seconds)} s (${round(tar.cpuSeconds)} s CPU)`,
  });
  const { record, dest } = kept!;
  const tarBytes = fs.statSync(tarArchive).size;

  // Verify: `tend backup verify` against `gzip -t` and `sha256sum -c` of what tar extracts.
  const extracted = path.join(work, 'extracted');
  fs.mkdirSync(extracted);
  execFileSync('tar', ['xzf', path.join(dest, record.fileName), '-C', extracted]);
  const manifest = JSON.parse(
    fs.readFileSync(path.join(extracted, '.tend/manifest.json'), 'utf8'),
  ) as { entries: Array<{ type: string; path: string; sha256?: string }> };
  const sums = path.join(work, 'sums');
  fs.writeFileSync(
    sums,
    manifest.entries
      .filter((entry) => entry.type === 'file')
      .map((entry) => `${entry.sha256}  ${entry.path}\n`)
      .join(''),
  );
  const verifies = await alternate({
    label: `verify (${tree})`,
    standard: async () => {
      const gzip = await timeCommand('gzip', ['-t', path.join(dest, record.fileName)]);
      const sha = await timeCommand('sha256sum', ['-c', '--quiet', sums], { cwd: extracted });
      return {
        seconds: gzip.seconds + sha.seconds,
        cpuSeconds: gzip.cpuSeconds + sha.cpuSeconds,
        maxRssBytes: Math.max(gzip.maxRssBytes, sha.maxRssBytes),
      };
    },
    tend: () =>
      timeCommand(process.execPath, [tendBin, 'backup', 'verify', '--root', root, record.id], {
        env,
      }),
    describe: (tend, tools) =>
      `tend ${round(tend.seconds)} s, gzip -t + sha256sum ${round(tools.seconds)} s`,
  });
  fs.rmSync(work, { recursive: true, force: true });

  const engineSeconds = records.map((each) => (each.durationMs ?? 0) / 1000);
  return {
    tree,
    files: record.files,
    dataBytes: record.dataBytes,
    // Whole processes: `tend backup create` (Node and the CLI starting included) vs tar czf.
    backup: field(backups, 'seconds', goal),
    backupCpu: field(backups, 'cpuSeconds'),
    // The job's own time (writing the archive), against the same tar runs.
    backupEngine: compared(
      engineSeconds,
      backups.standard.map((run) => run.seconds),
    ),
    backupPeakRssBytes: roundSpread(spreadOf(backups.tend.map((run) => run.maxRssBytes))),
    tarPeakRssBytes: roundSpread(spreadOf(backups.standard.map((run) => run.maxRssBytes))),
    archiveBytes: record.archiveBytes,
    tarArchiveBytes: tarBytes,
    archiveSizeVsTar: round((record.archiveBytes ?? 0) / tarBytes),
    verify: field(verifies, 'seconds'),
    verifyPeakRssBytes: roundSpread(spreadOf(verifies.tend.map((run) => run.maxRssBytes))),
  };
}
