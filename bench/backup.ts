/**
 * Backups: a full backup of `tend demo --size medium` against `tar czf` of the same files, in
 * the same run, warm cache; verify against `gzip -t` plus `sha256sum` of the extracted files.
 *
 * Tend runs as a user runs it, through the CLI (`tend backup create`), so its wall time and
 * peak RSS include Node and tsx starting up; the engine's own time (from the job's record) is
 * given beside it.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackupRecord } from '../src-shared/models/backups';
import { categoriesForKind, scanScope } from '../src-main/engine/backup/backup-scope';
import { nativeProfile } from '../src-main/engine/profiles/native/native-profile';
import { profiledRoot } from '../src-main/engine/profiles/profiled-root';
import type { BenchSuite } from './suites';
import { demoRoot, log, ratio, round, scratchDir, timeCommand } from './support';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * CPU seconds (user + system, children included) of a command, from GNU time. Beside the wall
 * time: on a shared two-core machine the wall-time ratio swings with the others' load, the CPU
 * ratio says how much work each side does.
 */
function cpuSeconds(
  command: string,
  args: ReadonlyArray<string>,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const file = path.join(os.tmpdir(), `tend-bench-cpu-${process.pid}-${Date.now()}`);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', file, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${command} failed (${code})`));
      const [user, system] = fs.readFileSync(file, 'utf8').trim().split('\n').at(-1)!.split(' ');
      fs.rmSync(file, { force: true });
      resolve(Number(user) + Number(system));
    });
  });
}
const tendBin = path.resolve(here, '..', 'bin', 'tend.mjs');

/** The backup suite. */
export const backupSuite: BenchSuite = {
  description:
    'full backup of the medium demo vs tar czf (wall, size, peak RSS); verify vs gzip -t + sha256sum',
  async run() {
    const source = await demoRoot('medium');
    // The machine is shared: say how busy it was, since wall-time ratios depend on it.
    const load = os.loadavg()[0]!;
    const work = scratchDir('backup');
    const root = path.join(work, 'root');
    // The CLI writes Tend's catalog into the root: work on a copy, the cached tree stays clean.
    execFileSync('cp', ['-a', source, root]);
    const state = path.join(work, 'state');
    const dest = path.join(work, 'dest');
    const env = { ...process.env, TEND_STATE_DIR: state };

    // The same entries tar gets: every folder, file and link a full backup holds.
    const scope = await scanScope(root, categoriesForKind('full'), null, {
      categorizer: profiledRoot(root, nativeProfile).categorize,
    });
    const list = path.join(work, 'files.list');
    fs.writeFileSync(list, scope.entries.map((entry) => `${entry.path}\0`).join(''));
    const tarArchive = path.join(work, 'tar.tar.gz');

    log('tar czf of the same files');
    const tar = await timeCommand('tar', [
      'czf', tarArchive, '-C', root, '--no-recursion', '--null', '-T', list,
    ]); // prettier-ignore

    log('tend backup create --kind full');
    const startup = await timeCommand(process.execPath, [tendBin, 'backup', 'list', '--root', root], { env }); // prettier-ignore
    const out = path.join(work, 'create.json');
    const ours = await timeCommand(
      process.execPath,
      [tendBin, 'backup', 'create', '--root', root, '--dest', dest, '--kind', 'full', '--json'],
      { env, stdout: out },
    );
    const record = JSON.parse(fs.readFileSync(out, 'utf8')) as BackupRecord;
    const tarBytes = fs.statSync(tarArchive).size;

    log('CPU time of each, once more');
    const tarArgs = ['czf', tarArchive, '-C', root, '--no-recursion', '--null', '-T', list];
    const tarCpu = await cpuSeconds('tar', tarArgs);
    const ourArgs = [tendBin, 'backup', 'create', '--root', root, '--dest', path.join(work, 'dest2'), '--kind', 'full']; // prettier-ignore
    const ourCpu = await cpuSeconds(process.execPath, ourArgs, { env });

    log('verify: tend backup verify vs gzip -t + sha256sum');
    const verify = await timeCommand(
      process.execPath,
      [tendBin, 'backup', 'verify', '--root', root, record.id],
      { env },
    );
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
    const gzipTest = await timeCommand('gzip', ['-t', path.join(dest, record.fileName)]);
    const sha = await timeCommand('sha256sum', ['-c', '--quiet', sums], { cwd: extracted });
    fs.rmSync(work, { recursive: true, force: true });

    return {
      files: record.files,
      dataBytes: record.dataBytes,
      tarSeconds: round(tar.seconds),
      backupSeconds: round(ours.seconds),
      backupEngineSeconds: round((record.durationMs ?? 0) / 1000),
      cliStartupSeconds: round(startup.seconds),
      backupVsTar: ratio(ours.seconds, tar.seconds),
      tarCpuSeconds: round(tarCpu),
      backupCpuSeconds: round(ourCpu),
      backupCpuVsTar: ratio(ourCpu, tarCpu),
      loadAverageAtStart: round(load, 2),
      backupEngineVsTar: ratio((record.durationMs ?? 0) / 1000, tar.seconds),
      archiveBytes: record.archiveBytes,
      tarArchiveBytes: tarBytes,
      archiveSizeVsTar: ratio(record.archiveBytes ?? 0, tarBytes),
      backupPeakRssBytes: ours.maxRssBytes,
      tarPeakRssBytes: tar.maxRssBytes,
      verifySeconds: round(verify.seconds),
      gzipTestPlusSha256sumSeconds: round(gzipTest.seconds + sha.seconds),
      verifyVsGzipTestPlusSha256sum: ratio(verify.seconds, gzipTest.seconds + sha.seconds),
      verifyPeakRssBytes: verify.maxRssBytes,
    };
  },
};
