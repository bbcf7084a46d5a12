/**
 * Disk usage: Tend's scanner against `du -s` on the same tree in the same run, warm cache.
 *
 * - 200,000 files (built once under .cache/bench/usage-200k): first scan and rescan after 1%
 *   of the files were appended to, each divided by `du -s`; peak RSS of a scan process.
 * - 1,000,000 empty files in 20,000 folders (built once; a few minutes): peak RSS and time.
 *
 * The scans are timed inside the process (the figure a user waits for once Tend is running);
 * the memory runs start a fresh process each, so their RSS includes Node and tsx themselves.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeCategoryRules as rules } from '../src-main/engine/profiles/native/native-rules';
import { scanUsage } from '../src-main/engine/usage/scanner';
import { sumFigures } from '../src-main/engine/usage/usage-tree';
import type { BenchSuite } from './suites';
import { benchCacheDir, log, ratio, round, timeCommand, timeIt } from './support';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = 3;

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

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Wall and CPU (user + system) seconds of one `du -s`, from GNU time. */
async function duOnce(root: string): Promise<{ wall: number; cpu: number }> {
  const out = path.join(benchCacheDir, `usage-du-time-${process.pid}`);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', out, 'du', '-s', root], {
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`du failed (${code})`)),
    );
  });
  const wall = (performance.now() - started) / 1000;
  const [user, system] = fs.readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ');
  fs.rmSync(out, { force: true });
  return { wall, cpu: Number(user) + Number(system) };
}

/** Wall and CPU seconds of a scan in this process. */
async function scanOnce<T>(
  work: () => Promise<T>,
): Promise<{ wall: number; cpu: number; value: T }> {
  const cpu = process.cpuUsage();
  const { seconds, value } = await timeIt(work);
  const used = process.cpuUsage(cpu);
  return { wall: seconds, cpu: (used.user + used.system) / 1e6, value };
}

/**
 * du and the scan, alternated RUNS times so a change in the machine's load hits both; medians
 * of wall time and of CPU time (user + system, steadier on a busy machine).
 */
async function versusDu<T>(root: string, scan: () => Promise<T>) {
  const du = { wall: [] as number[], cpu: [] as number[] };
  const ours = { wall: [] as number[], cpu: [] as number[] };
  let last: T | undefined;
  for (let run = 0; run < RUNS; run++) {
    const d = await duOnce(root);
    du.wall.push(d.wall);
    du.cpu.push(d.cpu);
    const o = await scanOnce(scan);
    ours.wall.push(o.wall);
    ours.cpu.push(o.cpu);
    last = o.value;
  }
  return {
    du: { wall: median(du.wall), cpu: median(du.cpu) },
    ours: { wall: median(ours.wall), cpu: median(ours.cpu) },
    last: last!,
  };
}

function runChild(
  root: string,
  rescan: boolean,
): Promise<{ rssBytes: number; out: Record<string, unknown> }> {
  const out = path.join(benchCacheDir, `usage-child-${process.pid}.json`);
  return timeCommand(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'usage-child.ts'), root, ...(rescan ? ['--rescan'] : [])],
    { stdout: out },
  ).then((measured) => {
    const parsed = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
    fs.rmSync(out, { force: true });
    return { rssBytes: measured.maxRssBytes, out: parsed };
  });
}

/** The usage suite. */
export const usageSuite: BenchSuite = {
  description: 'disk-usage scan and rescan vs du -s on 200,000 files; memory for 1,000,000 files',
  async run() {
    const root = buildTree('usage-200k', 4000, 50, true);
    await timeCommand('du', ['-s', root]); // warm the cache
    await scanUsage(root, { rules }); // and the JIT
    const first = await versusDu(root, () => scanUsage(root, { rules }));

    // Change 1% of the files in place (what logs and caches do), as the rescan's workload.
    const files = filesOf(root);
    const changed = files.filter((_, index) => index % 100 === 0);
    for (const file of changed) fs.appendFileSync(file, 'x');
    let previous = first.last;
    const rescan = await versusDu(root, async () => {
      previous = await scanUsage(root, { rules, previous });
      return previous;
    });
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
    const memory200k = await runChild(root, true);

    const result: Record<string, unknown> = {
      files: files.length,
      folders: previous.root.folders + 1,
      duSeconds: round(first.du.wall),
      firstScanSeconds: round(first.ours.wall),
      firstScanRatio: ratio(first.ours.wall, first.du.wall),
      firstScanGoal: 1.5,
      duCpuSeconds: round(first.du.cpu),
      firstScanCpuSeconds: round(first.ours.cpu),
      firstScanCpuRatio: ratio(first.ours.cpu, first.du.cpu),
      filesChanged: changed.length,
      duAfterChangeSeconds: round(rescan.du.wall),
      rescanSeconds: round(rescan.ours.wall),
      rescanRatio: ratio(rescan.ours.wall, rescan.du.wall),
      rescanGoal: 0.5,
      rescanCpuSeconds: round(rescan.ours.cpu),
      rescanCpuRatio: ratio(rescan.ours.cpu, rescan.du.cpu),
      rescanFoldersReused: previous.stats.foldersReused,
      rescanFoldersListed: previous.stats.foldersListed,
      apparentBytesEqualDu: fresh.apparentBytes === exact,
      peakRssBytes200k: memory200k.rssBytes,
    };

    const million = buildTree('usage-1m', 20_000, 50, false);
    await timeCommand('du', ['-s', million]);
    // The faster of two du runs: the ratio errs in du's favour.
    const duMillion = Math.min((await duOnce(million)).wall, (await duOnce(million)).wall);
    const memory = await runChild(million, false);
    result.million = {
      files: memory.out.files,
      duSeconds: round(duMillion),
      scanSeconds: memory.out.firstSeconds,
      scanRatio: ratio(Number(memory.out.firstSeconds), duMillion),
      peakRssBytes: memory.rssBytes,
      peakHeapBytes: memory.out.peakHeapBytes,
      goalRssBytes: 200 * 1024 * 1024,
    };
    return result;
  },
};
