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

async function duSeconds(root: string): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) times.push((await timeCommand('du', ['-s', root])).seconds);
  return median(times);
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
    const du = await duSeconds(root);
    const firstTimes: number[] = [];
    let first = await scanUsage(root);
    for (let run = 0; run < RUNS; run++) {
      const { seconds, value } = await timeIt(() => scanUsage(root));
      firstTimes.push(seconds);
      first = value;
    }
    const firstSeconds = median(firstTimes);

    // Change 1% of the files in place (what logs and caches do), as the rescan's workload.
    const files = filesOf(root);
    const changed = files.filter((_, index) => index % 100 === 0);
    for (const file of changed) fs.appendFileSync(file, 'x');
    const duAfter = await duSeconds(root);
    const rescanTimes: number[] = [];
    let previous = first;
    for (let run = 0; run < RUNS; run++) {
      const { seconds, value } = await timeIt(() => scanUsage(root, { previous }));
      rescanTimes.push(seconds);
      previous = value;
    }
    const rescanSeconds = median(rescanTimes);
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
      duSeconds: round(du),
      firstScanSeconds: round(firstSeconds),
      firstScanRatio: ratio(firstSeconds, du),
      firstScanGoal: 1.5,
      filesChanged: changed.length,
      duAfterChangeSeconds: round(duAfter),
      rescanSeconds: round(rescanSeconds),
      rescanRatio: ratio(rescanSeconds, duAfter),
      rescanGoal: 0.5,
      rescanFoldersReused: previous.stats.foldersReused,
      rescanFoldersListed: previous.stats.foldersListed,
      apparentBytesEqualDu: fresh.apparentBytes === exact,
      peakRssBytes200k: memory200k.rssBytes,
    };

    const million = buildTree('usage-1m', 20_000, 50, false);
    await timeCommand('du', ['-s', million]);
    const duMillion = await duSeconds(million);
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
