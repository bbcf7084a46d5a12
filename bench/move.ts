/**
 * Move: Tend's verified copy of the medium demo to another filesystem against `cp -a` plus
 * `sha256sum -c` of the same files, in the same run, warm cache, by turns (bench/pairs.ts: the
 * shell's copy then Tend's, a warm-up pair, then three), each ratio the median of the pairs'
 * ratios with their min and max.
 *
 * - copy: the move's copy step (walk the folder; copy every file, fsync it, compare its SHA-256
 *   with the original's, keep its mode and times; the database through SQLite's backup API and
 *   `quick_check`) over the shell's verified copy: `sha256sum` of the source files (the list
 *   `-c` checks against), `cp -a`, then `sha256sum -c` in the copy. Goal: at most 1.0.
 * - copyWithoutList: the same against `cp -a` and `sha256sum -c` alone, with the list made
 *   beforehand and not timed (the stricter figure).
 * - target: `tmpfs` when this machine lets the bench mount one (root on Linux), else
 *   `same-disk-folder` — said in the JSON, as the figures mean less then.
 *
 * The switch (settings, Tend's record, renaming the old folder) is a few renames and small
 * durable writes and is not timed here; the tests cover it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { walkMoveTree } from '../src-main/engine/move/move-tree';
import { copyTree } from '../src-main/engine/move/tree-copy';
import { alternate, compared } from './pairs';
import type { BenchSuite } from './suites';
import { benchCacheDir, demoRoot, log, round, timeCommand, timeIt } from './support';

/** The most the median ratio to the shell's verified copy may be. */
const GOAL = 1.0;

/** The medium demo copied once without Tend's state, and the SHA-256 list of its files. */
async function source(): Promise<{ root: string; list: string }> {
  const base = path.join(benchCacheDir, 'move');
  const root = path.join(base, 'source');
  const list = path.join(base, 'source.sha256');
  if (fs.existsSync(list)) return { root, list };
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });
  log('copying the medium demo for the move bench (once; later runs reuse it)');
  const copy = spawnSync('cp', ['-a', await demoRoot('medium'), root]);
  if (copy.status !== 0) throw new Error(`cp failed: ${copy.stderr}`);
  fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
  const sums = spawnSync('sh', ['-c', 'find . -type f -print0 | xargs -0 sha256sum'], {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (sums.status !== 0) throw new Error(`sha256sum failed: ${sums.stderr}`);
  fs.writeFileSync(list, sums.stdout);
  return { root, list };
}

/** Another filesystem: a tmpfs mounted for the run when allowed, else a folder here. */
function otherDisk(bytes: number): { dir: string; kind: string; unmount: () => void } {
  const dir = path.join(benchCacheDir, 'move-target');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const megabytes = Math.ceil((bytes * 1.5) / (1024 * 1024)) + 256;
  try {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) throw new Error('not root');
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
    return {
      dir,
      kind: 'tmpfs',
      unmount: () => execFileSync('umount', [dir], { stdio: 'ignore' }),
    };
  } catch {
    log('cannot mount a tmpfs here: the target is a folder on the same disk');
    return { dir, kind: 'same-disk-folder', unmount: () => undefined };
  }
}

async function ours(root: string, target: string): Promise<number> {
  fs.mkdirSync(target);
  const { seconds } = await timeIt(async () => {
    const tree = await walkMoveTree(root);
    await copyTree(root, target, tree, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
  });
  return seconds;
}

/** The shell's verified copy: the list made from the source (timed apart), cp -a, sha256sum -c. */
async function theirs(
  root: string,
  list: string,
  target: string,
): Promise<{ listSeconds: number; copyCheckSeconds: number }> {
  const fresh = `${list}.run`;
  const listing = await timeCommand('sh', [
    '-c',
    'cd "$0" && find . -type f -print0 | xargs -0 sha256sum > "$1"',
    root,
    fresh,
  ]);
  const run = await timeCommand('sh', [
    '-c',
    `cp -a "$0" "$1" && cd "$1" && sha256sum -c --quiet "$2"`,
    root,
    target,
    fresh,
  ]);
  fs.rmSync(fresh, { force: true });
  return { listSeconds: listing.seconds, copyCheckSeconds: run.seconds };
}

export const moveSuite: BenchSuite = {
  description:
    'move: the verified copy of the medium demo to another filesystem vs cp -a + sha256sum -c',
  async run() {
    const { root, list } = await source();
    const tree = await walkMoveTree(root);
    const disk = otherDisk(tree.bytes);
    try {
      const runs = await alternate({
        label: 'move',
        standard: async (run) => {
          const target = path.join(disk.dir, `cp-${run}`);
          const shell = await theirs(root, list, target);
          fs.rmSync(target, { recursive: true, force: true });
          return shell;
        },
        tend: async (run) => {
          const target = path.join(disk.dir, `ours-${run}`);
          const seconds = await ours(root, target);
          fs.rmSync(target, { recursive: true, force: true });
          return seconds;
        },
        describe: (tend, shell) =>
          `ours ${round(tend)} s, cp+sha256sum ${round(shell.listSeconds + shell.copyCheckSeconds)} s`,
      });
      return {
        target: disk.kind,
        files: tree.files.length,
        bytes: tree.bytes,
        // Seconds, the move's copy over the shell's verified copy with its list made.
        copy: compared(
          runs.tend,
          runs.standard.map((shell) => shell.listSeconds + shell.copyCheckSeconds),
          GOAL,
        ),
        // The same over cp -a and sha256sum -c alone (the list made beforehand, not timed).
        copyWithoutList: compared(
          runs.tend,
          runs.standard.map((shell) => shell.copyCheckSeconds),
        ),
      };
    } finally {
      disk.unmount();
    }
  },
};
