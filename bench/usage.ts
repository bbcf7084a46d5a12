/**
 * Disk usage: Tend's scanner against `du -s` on the same tree in the same run, warm cache,
 * by turns (du, then the scan; a warm-up pair, then three), each figure the median of the
 * pairs' ratios with their range.
 *
 * - 200,000 files (built once under .cache/bench/usage-200k): first scan (with GNU find where
 *   there is one, then with Node's calls too), and rescan after 1% of the files were appended
 *   to (before every pair, so each rescan has changes to find), each against `du -s`; peak RSS
 *   of a scan process.
 * - The live map's update on the same tree: 1% of the files appended to while a watcher
 *   (usage-watcher.ts, as the desktop app and `tend serve` run it) looks on, then the update of
 *   the tree from what it saw, against `du -s`; its figures checked against `du -sb`.
 * - 1,000,000 empty files in 20,000 folders (built once; a few minutes): time against `du -s`
 *   and peak RSS, a fresh process each run.
 *
 * The scans are timed inside the process (the figure a user waits for once Tend is running);
 * the memory runs start a fresh process each, so their RSS includes Node and tsx themselves.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeCategoryRules as rules } from '../src-main/engine/profiles/native/native-rules';
import { hasGnuFind } from '../src-main/engine/usage/find-walk';
import { addChanges, noChanges } from '../src-main/engine/usage/folder-changes';
import { scanUsage, type UsageScan } from '../src-main/engine/usage/scanner';
import { sumFigures } from '../src-main/engine/usage/usage-tree';
import { UsageWatcher } from '../src-main/engine/usage/usage-watcher';
import type { BenchSuite } from './suites';
import { alternate, compared } from './pairs';
import { benchCacheDir, log, round, timeCommand, timeIt } from './support';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Builds a tree of `folders` × `perFolder` files once; returns its root. */
function buildTree(name: string, folders: number, perFolder: number, withContent: boolean) {
  const root = path.join(benchCacheDir, name);
  const done = `${root}.done`;
  if (fs.existsSync(done)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  log(`building ${folders * perFolder} files under ${root} (once; later runs reuse it)`);
  const content = Buffer.alloc(64 * 1024, 7);
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const areas = ['local_data/internal_assistant/documents', 'local_data/cache', 'local_data/logs'];
  for (let f = 0; f < folders; f++) {
    const folder = path.join(
      root,
      areas[f % areas.length]!,
      `d${Math.floor(f / 20)}`,
      `s${f % 20}`,
    );
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < perFolder; i++) {
      const size = withContent ? Math.floor(random() ** 3 * content.length) : 0;
      fs.writeFileSync(path.join(folder, `file-${i}.dat`), content.subarray(0, size));
    }
  }
  fs.mkdirSync(path.join(root, '.tend'), { recursive: true });
  fs.writeFileSync(done, new Date().toISOString());
  return root;
}

/** All non-folder paths under a root, for picking the 1% to change. */
function filesOf(root: string): string[] {
  const found: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const folder = stack.pop()!;
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.tend') stack.push(full);
      } else found.push(full);
    }
  }
  return found.sort();
}

/**
 * CPU seconds of this process's children that have ended (Linux: /proc, in clock ticks of
 * 10 ms); 0 elsewhere. A scan's find process counts here, not in `process.cpuUsage()`.
 */
function childrenCpuSeconds(): number {
  if (process.platform !== 'linux') return 0;
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5), cutime and cstime; this list starts at field 3.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Wall and CPU seconds of a scan in this process (its child processes included). */
async function scanOnce<T>(
  work: () => Promise<T>,
): Promise<{ seconds: number; cpuSeconds: number; value: T }> {
  const cpu = process.cpuUsage();
  const children = childrenCpuSeconds();
  const { seconds, value } = await timeIt(work);
  const used = process.cpuUsage(cpu);
  const childSeconds = childrenCpuSeconds() - children;
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 + childSeconds, value };
}

/**
 * `du -s` and a scan by turns; the wall and CPU (user + system, steadier on a busy machine)
 * figures pair by pair, and the last scan. `before` runs ahead of each pair (a change to find).
 */
async function versusDu<T>(
  label: string,
  root: string,
  scan: () => Promise<T>,
  before: () => void | Promise<void> = () => undefined,
) {
  let last: T | undefined;
  const runs = await alternate({
    label,
    standard: async () => {
      await before();
      return timeCommand('du', ['-s', root]);
    },
    tend: async () => {
      const measured = await scanOnce(scan);
      last = measured.value;
      return measured;
    },
    describe: (tend, du) => `scan ${round(tend.seconds)} s, du ${round(du.seconds)} s`,
  });
  return {
    wall: (goal?: number) =>
      compared(
        runs.tend.map((run) => run.seconds),
        runs.standard.map((run) => run.seconds),
        goal,
      ),
    cpu: () =>
      compared(
        runs.tend.map((run) => run.cpuSeconds),
        runs.standard.map((run) => run.cpuSeconds),
      ),
    last: last!,
  };
}

function runChild(
  root: string,
  rescan: boolean,
): Promise<{ rssBytes: number; seconds: number; out: Record<string, unknown> }> {
  const out = path.join(benchCacheDir, `usage-child-${process.pid}.json`);
  return timeCommand(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'usage-child.ts'), root, ...(rescan ? ['--rescan'] : [])],
    { stdout: out },
  ).then((measured) => {
    const parsed = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
    fs.rmSync(out, { force: true });
    return { rssBytes: measured.maxRssBytes, seconds: measured.seconds, out: parsed };
  });
}

/** `du -sb` of a root, Tend's own `.tend/` left out. */
function duApparent(root: string): Promise<number> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn('du', ['-sb', '--exclude=.tend', root]);
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  }).then((text) => Number(text.split('\t')[0]));
}

/**
 * The live map's update: before each pair, 1% of the files are appended to and the watcher's
 * report of them awaited (the debounce is not timed: it is the wait for writes to settle);
 * Tend's side is the update of the tree from what the watcher saw.
 */
async function liveUpdate(root: string, changed: ReadonlyArray<string>, start: UsageScan) {
  let seen = noChanges();
  const watcher = await UsageWatcher.start({
    root,
    debounceMs: 50,
    maxWaitMs: 200,
    onChanges: (changes) => {
      for (const folder of changes.folders) seen.folders.add(folder);
      for (const file of changes.files) seen.files.add(file);
      seen.rescan ||= changes.rescan;
    },
  });
  if (!watcher.status.live) throw new Error(`The bench cannot watch: ${watcher.status.why}`);
  const expected = addChanges(
    noChanges(),
    root,
    changed.map((file) => ({ path: file, type: 'update' as const })),
  );
  let previous = start;
  let taken = noChanges();
  const reported: number[] = [];
  try {
    const runs = await versusDu(
      'update after 1% changed (watched)',
      root,
      async () => {
        previous = await scanUsage(root, {
          rules,
          previous,
          changed: taken.folders,
          changedFiles: taken.files,
        });
        return previous;
      },
      async () => {
        for (const file of changed) fs.appendFileSync(file, 'x');
        // Every change reported (or a rescan asked for, which the update then is), or the
        // watcher quiet for 3 s: then the update runs on what it saw, and the check against
        // du at the end says whether that was enough.
        const missing = () =>
          seen.rescan ? 0 : [...expected.files].filter((file) => !seen.files.has(file)).length;
        let lastCount = -1;
        let quietSince = Date.now();
        while (missing() > 0 && Date.now() - quietSince < 3_000) {
          const count = seen.files.size + seen.folders.size;
          if (count !== lastCount) {
            lastCount = count;
            quietSince = Date.now();
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        reported.push(expected.files.size - missing());
        taken = seen;
        seen = noChanges();
      },
    );
    const equalsDu = sumFigures(previous.root.total).apparentBytes === (await duApparent(root));
    return { runs, equalsDu, rescans: runs.last.stats.mode !== 'update', reported };
  } finally {
    await watcher.close();
  }
}

/** The usage suite. */
export const usageSuite: BenchSuite = {
  description: 'disk-usage scan and rescan vs du -s on 200,000 files; memory for 1,000,000 files',
  async run() {
    const root = buildTree('usage-200k', 4000, 50, true);
    const first = await versusDu('first scan', root, () => scanUsage(root, { rules }));
    // Where the first scan walks with GNU find, the walk with Node's calls (macOS, Windows,
    // and the fallback) is measured too.
    const firstNode = hasGnuFind()
      ? await versusDu('first scan, Node walk', root, () =>
          scanUsage(root, { rules, walk: 'node' }),
        )
      : null;

    // Change 1% of the files in place (what logs and caches do) before each pair: the
    // rescan's workload.
    const files = filesOf(root);
    const changed = files.filter((_, index) => index % 100 === 0);
    let previous = first.last;
    const rescan = await versusDu(
      'rescan',
      root,
      async () => {
        previous = await scanUsage(root, { rules, previous });
        return previous;
      },
      () => {
        for (const file of changed) fs.appendFileSync(file, 'x');
      },
    );
    const exact = Number(
      (
        await new Promise<string>((resolve, reject) => {
          const child = spawn('du', ['-sb', '--exclude=.tend', root]);
          let text = '';
          child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
          child.on('error', reject);
          child.on('close', () => resolve(text));
        })
      ).split('\t')[0],
    );
    const fresh = sumFigures(previous.root.total);
    const live = await liveUpdate(root, changed, previous);
    const memory200k = await runChild(root, true);

    const result: Record<string, unknown> = {
      files: files.length,
      folders: previous.root.folders + 1,
      firstScanWalk: hasGnuFind() ? 'GNU find' : "Node's calls",
      firstScan: first.wall(2.0),
      firstScanCpu: first.cpu(),
      ...(firstNode
        ? { firstScanNodeWalk: firstNode.wall(2.0), firstScanNodeWalkCpu: firstNode.cpu() }
        : {}),
      filesChangedBeforeEachRescan: changed.length,
      rescan: rescan.wall(0.5),
      rescanCpu: rescan.cpu(),
      rescanFoldersReused: previous.stats.foldersReused,
      rescanFoldersListed: previous.stats.foldersListed,
      apparentBytesEqualDu: fresh.apparentBytes === exact,
      filesChangedBeforeEachUpdate: changed.length,
      update: live.runs.wall(0.1),
      updateCpu: live.runs.cpu(),
      updateEntriesChecked: live.runs.last.stats.entriesChecked,
      updateFellBackToRescan: live.rescans,
      updateChangesReportedByWatcher: live.reported,
      updateApparentBytesEqualDu: live.equalsDu,
      peakRssBytes200k: memory200k.rssBytes,
    };

    const million = buildTree('usage-1m', 20_000, 50, false);
    const runs = await alternate({
      label: '1,000,000 files',
      standard: () => timeCommand('du', ['-s', million]),
      tend: () => runChild(million, false),
      describe: (tend, du) => `scan process ${round(tend.seconds)} s, du ${round(du.seconds)} s`,
    });
    const du = runs.standard.map((run) => run.seconds);
    const last = runs.tend.at(-1)!;
    result.million = {
      files: last.out.files,
      // The scan as timed inside its process, and the whole process (Node and tsx included).
      scan: compared(
        runs.tend.map((run) => Number(run.out.firstSeconds)),
        du,
      ),
      scanProcess: compared(
        runs.tend.map((run) => run.seconds),
        du,
      ),
      peakRssBytes: Math.max(...runs.tend.map((run) => run.rssBytes)),
      peakHeapBytes: Math.max(...runs.tend.map((run) => Number(run.out.peakHeapBytes))),
      goalRssBytes: 200 * 1024 * 1024,
    };
    return result;
  },
};
