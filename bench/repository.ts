/**
 * Repositories (issue 12): Tend's restic-compatible repository against `tar czf` / `tar xzf`
 * and restic on the same trees, in the same run, alternating A B A B and keeping medians:
 * - first backup into an empty repository vs `tar czf` of the same files;
 * - a second backup with nothing changed vs `tar czf`;
 * - a full restore vs `tar xzf`, and one file restored alone;
 * - the peak memory of each Tend call (each runs in its own process, bench/repository-child.ts);
 * - a day of scattered updates to assistant.db (500 updates, 200 deletes, 1,000 inserts): bytes
 *   each repository grew by, against the database's size, Tend beside restic.
 * Trees: a demo root (`small` by default, or the size given) and a generated tree of 20,000
 * small files unlike the demo (source-like text in deep folders, some binary).
 *
 * Run it with `npm run bench -- --only repository`, or alone with
 * `npx tsx bench/repository.ts [small|medium] [--no-many]`. Each figure comes as wall seconds
 * and ratios and, for backups, as CPU seconds (user + system) and CPU ratios against
 * `tar czf`'s, which a shared machine disturbs less. Tend's calls run from the sources (tsx);
 * the backups run once more from a bundle (`bundled…` figures), as the command line and the
 * app run them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { DemoSize } from '../src-shared/models/demo';
import { LocalBackend } from '../src-main/engine/repository/local-backend';
import { Repository } from '../src-main/engine/repository/repository';
import { backupSnapshot } from '../src-main/engine/repository/snapshot-backup';
import type { BenchSuite } from './suites';
import { benchCacheDir, demoRoot, log, ratio, round, scratchDir, timeCommand } from './support';

const PASSWORD = 'bench passphrase';
const KDF = { N: 1024, r: 8, p: 1 };
const DB = 'local_data/internal_assistant/assistant.db';

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function folderBytes(folder: string): number {
  return Number(execFileSync('du', ['-sb', folder], { encoding: 'utf8' }).split('\t')[0]);
}

function hasRestic(): boolean {
  return spawnSync('restic', ['version']).status === 0;
}

function restic(repo: string, args: ReadonlyArray<string>, cwd?: string): void {
  execFileSync('restic', ['-r', repo, '--no-cache', '-q', ...args], {
    cwd,
    env: { ...process.env, RESTIC_PASSWORD: PASSWORD },
    stdio: 'ignore',
  });
}

/** A day of scattered changes to the assistant's store: 500 updates, 200 deletes, 1,000 inserts. */
export function scatteredDay(file: string, seed = 1): void {
  const db = new Database(file);
  let x = seed;
  const next = (limit: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % limit;
  };
  const table = 'interactions';
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{
    name: string;
    type: string;
    pk: number;
  }>;
  const text = columns.find((column) => column.type.toUpperCase() === 'TEXT' && !column.pk)!.name;
  const copy = columns
    .filter((column) => !column.pk)
    .map((column) => column.name)
    .join(', ');
  const ids = (db.prepare(`SELECT rowid AS id FROM ${table}`).all() as Array<{ id: number }>).map(
    (row) => row.id,
  );
  db.transaction(() => {
    for (let i = 0; i < 500; i++)
      db.prepare(`UPDATE ${table} SET ${text} = ${text} || ' (edited)' WHERE rowid = ?`).run(
        ids[next(ids.length)],
      );
    for (let i = 0; i < 200; i++)
      db.prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(ids[next(ids.length)]);
    for (let i = 0; i < 1000; i++) {
      db.prepare(
        `INSERT INTO ${table} (${copy}) SELECT ${copy} FROM ${table} WHERE rowid = (SELECT max(rowid) FROM ${table}) - ?`,
      ).run(next(500));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * bench/repository-child.ts bundled as the command line is (esbuild, ESM, its workers as their
 * own entries beside it, packages left in node_modules), so a backup can also be timed as the
 * bundles run it: from the sources, each worker thread first registers tsx and compiles its
 * modules (about 0.36 s of CPU here), which no user pays. Built once per run.
 */
async function bundledChild(): Promise<string> {
  const { build } = await import('esbuild');
  const outdir = path.join(benchCacheDir, 'repository-child-bundle');
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: path.resolve(here, '..'),
    entryPoints: {
      'repository-child': 'bench/repository-child.ts',
      'sqlite-snapshot-worker': 'src-main/engine/backup/sqlite-snapshot-worker.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(outdir, 'package.json'), '{"type":"module"}\n');
  return path.join(outdir, 'repository-child.js');
}

/**
 * Runs one operation in bench/repository-child.ts (from the sources through tsx, or the
 * bundle `bundled` names) and returns what it printed.
 */
function child(
  args: ReadonlyArray<string>,
  bundled?: string,
): { seconds: number; cpuSeconds: number; maxRssBytes: number } & Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    bundled
      ? [bundled, ...args]
      : ['--import', 'tsx', path.join(here, 'repository-child.ts'), ...args],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as {
    seconds: number;
    cpuSeconds: number;
    maxRssBytes: number;
  };
}

/** Deterministic pseudo-random numbers (a linear congruential generator). */
function generator(seed: number): (limit: number) => number {
  let x = seed;
  return (limit) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % limit;
  };
}

/**
 * A tree of `count` small files unlike the demo: source-like text files of 100 B to 8 KiB in
 * folders four deep, one in ten a small binary, written once under the bench cache.
 */
export function manySmallFiles(count = 20_000): string {
  const root = path.join(benchCacheDir, `many-small-${count}`);
  const done = `${root}.done`;
  if (fs.existsSync(done)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  log(`writing ${count} small files to ${root} (once)`);
  const next = generator(7);
  const words = [
    'const',
    'return',
    'function',
    'value',
    'index',
    'export',
    'import',
    'if',
    'else',
    'for',
  ];
  for (let i = 0; i < count; i++) {
    const folder = path.join(root, `pkg-${next(20)}`, `mod-${next(10)}`, `part-${next(10)}`);
    fs.mkdirSync(folder, { recursive: true });
    const size = 100 + next(8_000);
    let body: Buffer;
    if (i % 10 === 0) {
      body = Buffer.alloc(size);
      for (let j = 0; j < size; j++) body[j] = next(256);
    } else {
      const lines: string[] = [];
      let length = 0;
      while (length < size) {
        const line = `${'  '.repeat(next(4))}${words[next(words.length)]} x${next(1000)} = ${next(100000)};`;
        lines.push(line);
        length += line.length + 1;
      }
      body = Buffer.from(lines.join('\n'));
    }
    fs.writeFileSync(path.join(folder, `file-${i}.${i % 10 === 0 ? 'bin' : 'ts'}`), body);
  }
  fs.writeFileSync(done, new Date().toISOString());
  return root;
}

interface TreeFigures {
  readonly tree: string;
  readonly files: number;
  readonly bytes: number;
  readonly [figure: string]: unknown;
}

/** The backup and restore figures of one tree, `rounds` alternating rounds, medians. */
async function measureTree(
  name: string,
  source: string,
  work: string,
  rounds: number,
  singleFile: string,
  bundled: string,
): Promise<TreeFigures> {
  const root = path.join(work, `${name}-root`);
  execFileSync('cp', ['-a', source, root]);
  fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
  const tarFile = path.join(work, `${name}.tar.gz`);
  const tarCzf: number[] = [];
  const tarCzfCpu: number[] = [];
  const firstCpu: number[] = [];
  const unchangedCpu: number[] = [];
  const tarXzf: number[] = [];
  const first: number[] = [];
  const unchanged: number[] = [];
  // The same backups run from the bundle: wall and CPU seconds.
  const bundledFirst = { wall: [] as number[], cpu: [] as number[] };
  const bundledUnchanged = { wall: [] as number[], cpu: [] as number[] };
  const restore: number[] = [];
  const restoreOne: number[] = [];
  // CPU seconds (user + system) of the restores and of tar xzf: steadier than wall on a shared machine.
  const restoreCpu: { tar: number[]; full: number[]; one: number[] } = {
    tar: [],
    full: [],
    one: [],
  };
  let peakRss = 0;
  let stored = 0;
  let unchangedRead = 0;
  for (let i = 0; i < rounds; i++) {
    log(`${name} round ${i + 1}: tar czf, Tend first and unchanged backups`);
    const tar = await timeCommand('tar', ['czf', tarFile, '.'], { cwd: root });
    tarCzf.push(tar.seconds);
    tarCzfCpu.push(tar.cpuSeconds);
    const repo = path.join(work, `${name}-repo-${i}`);
    fs.rmSync(repo, { recursive: true, force: true });
    child(['init', repo, root]);
    const a = child(['backup', repo, root]);
    first.push(a.seconds);
    firstCpu.push(a.cpuSeconds);
    stored = a.bytesStored as number;
    const b = child(['backup', repo, root]);
    unchanged.push(b.seconds);
    unchangedCpu.push(b.cpuSeconds);
    unchangedRead = b.bytesRead as number;
    const bundledRepo = `${repo}-bundled`;
    fs.rmSync(bundledRepo, { recursive: true, force: true });
    child(['init', bundledRepo, root], bundled);
    const e = child(['backup', bundledRepo, root], bundled);
    bundledFirst.wall.push(e.seconds);
    bundledFirst.cpu.push(e.cpuSeconds);
    const f = child(['backup', bundledRepo, root], bundled);
    bundledUnchanged.wall.push(f.seconds);
    bundledUnchanged.cpu.push(f.cpuSeconds);
    fs.rmSync(bundledRepo, { recursive: true, force: true });
    fs.rmSync(`${bundledRepo}-staging`, { recursive: true, force: true });
    log(`${name} round ${i + 1}: tar xzf, Tend full and single-file restores`);
    const tarOut = path.join(work, `${name}-untar`);
    fs.rmSync(tarOut, { recursive: true, force: true });
    fs.mkdirSync(tarOut);
    const untar = await timeCommand('tar', ['xzf', tarFile], { cwd: tarOut });
    tarXzf.push(untar.seconds);
    restoreCpu.tar.push(untar.cpuSeconds);
    const out = path.join(work, `${name}-restore`);
    fs.rmSync(out, { recursive: true, force: true });
    const c = child(['restore', repo, out]);
    restore.push(c.seconds);
    restoreCpu.full.push(c.cpuSeconds as number);
    const one = path.join(work, `${name}-restore-one`);
    fs.rmSync(one, { recursive: true, force: true });
    const d = child(['restore-file', repo, one, singleFile]);
    restoreOne.push(d.seconds);
    restoreCpu.one.push(d.cpuSeconds as number);
    peakRss = Math.max(peakRss, a.maxRssBytes, b.maxRssBytes, c.maxRssBytes, d.maxRssBytes);
    fs.rmSync(tarOut, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(one, { recursive: true, force: true });
  }
  const files = Number(
    execFileSync('sh', ['-c', `find . -type f | wc -l`], { cwd: root, encoding: 'utf8' }),
  );
  return {
    tree: name,
    files,
    bytes: folderBytes(root),
    tarCzfSeconds: round(median(tarCzf)),
    firstBackupSeconds: round(median(first)),
    firstBackupRatio: ratio(median(first), median(tarCzf)),
    unchangedBackupSeconds: round(median(unchanged)),
    unchangedBackupRatio: ratio(median(unchanged), median(tarCzf)),
    unchangedBackupBytesRead: unchangedRead,
    // CPU time (user + system) against tar's: steadier than wall time on a loaded machine.
    tarCzfCpuSeconds: round(median(tarCzfCpu)),
    firstBackupCpuSeconds: round(median(firstCpu)),
    firstBackupCpuRatio: ratio(median(firstCpu), median(tarCzfCpu)),
    unchangedBackupCpuSeconds: round(median(unchangedCpu)),
    unchangedBackupCpuRatio: ratio(median(unchangedCpu), median(tarCzfCpu)),
    // The same two backups as the bundles run them (no tsx in the process or its workers).
    bundledFirstBackupRatio: ratio(median(bundledFirst.wall), median(tarCzf)),
    bundledFirstBackupCpuRatio: ratio(median(bundledFirst.cpu), median(tarCzfCpu)),
    bundledUnchangedBackupRatio: ratio(median(bundledUnchanged.wall), median(tarCzf)),
    bundledUnchangedBackupCpuRatio: ratio(median(bundledUnchanged.cpu), median(tarCzfCpu)),
    tarXzfSeconds: round(median(tarXzf)),
    fullRestoreSeconds: round(median(restore)),
    fullRestoreRatio: ratio(median(restore), median(tarXzf)),
    tarXzfCpuSeconds: round(median(restoreCpu.tar)),
    fullRestoreCpuSeconds: round(median(restoreCpu.full)),
    fullRestoreCpuRatio: ratio(median(restoreCpu.full), median(restoreCpu.tar)),
    singleFile,
    singleFileRestoreSeconds: round(median(restoreOne)),
    singleFileRestoreCpuSeconds: round(median(restoreCpu.one)),
    peakRssBytes: peakRss,
    repositoryBytes: stored,
    tarGzBytes: fs.statSync(tarFile).size,
  };
}

/** What the repository and restic's grow by after a day of scattered updates to assistant.db. */
async function sqliteDay(source: string, work: string): Promise<Record<string, unknown>> {
  const root = path.join(work, 'day-root');
  execFileSync('cp', ['-a', source, root]);
  fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
  const dbBytes = fs.statSync(path.join(root, DB)).size;
  const ours = path.join(work, 'day-tend');
  const repository = await Repository.init(new LocalBackend(ours), PASSWORD, { kdf: KDF });
  await backupSnapshot(repository, { root, stagingDir: work });
  const resticRepo = path.join(work, 'day-restic');
  const withRestic = hasRestic();
  if (withRestic) {
    restic(resticRepo, ['init']);
    restic(resticRepo, ['backup', '.'], root);
  }
  const oursBefore = folderBytes(ours);
  const theirsBefore = withRestic ? folderBytes(resticRepo) : 0;
  log('a day of scattered updates to assistant.db');
  scatteredDay(path.join(root, DB));
  await backupSnapshot(repository, { root, stagingDir: work });
  if (withRestic) restic(resticRepo, ['backup', '.'], root);
  const oursAdded = folderBytes(ours) - oursBefore;
  const theirsAdded = withRestic ? folderBytes(resticRepo) - theirsBefore : null;
  return {
    databaseBytes: dbBytes,
    tendAddedBytes: oursAdded,
    tendAddedShare: ratio(oursAdded, dbBytes),
    resticAddedBytes: theirsAdded,
    resticAddedShare: theirsAdded === null ? null : ratio(theirsAdded, dbBytes),
  };
}

/** The repository suite. */
export const repositorySuite: BenchSuite = {
  description:
    'repository: first and unchanged backups vs tar czf, restores vs tar xzf, peak memory, on a demo root and 20,000 small files; bytes added by a day of SQLite updates, Tend vs restic',
  async run() {
    const size = (process.argv.find((arg) => ['small', 'medium', 'large'].includes(arg)) ??
      'small') as DemoSize;
    const rounds = 3;
    const work = scratchDir('repository');
    const demo = await demoRoot(size);
    const bundled = await bundledChild();
    const trees = [
      await measureTree(
        `demo-${size}`,
        demo,
        work,
        rounds,
        'local_data/internal_assistant/assistant.db',
        bundled,
      ),
    ];
    if (!process.argv.includes('--no-many')) {
      const many = manySmallFiles();
      const one = execFileSync('sh', ['-c', 'find . -type f | sort | head -1'], {
        cwd: many,
        encoding: 'utf8',
      })
        .trim()
        .slice(2);
      trees.push(await measureTree('many-small-files', many, work, rounds, one, bundled));
    }
    return {
      trees,
      sqliteDay: await sqliteDay(demo, work),
      rounds,
      goals: {
        firstBackupRatio: 0.3,
        unchangedBackupRatio: 0.05,
        sqliteDayShare: 0.06,
        fullRestoreRatio: 1.0,
        singleFileRestoreSeconds: 1,
        peakRssBytes: 300 * 1024 * 1024,
      },
      note: 'alternating tar and Tend per round, medians; Tend calls timed inside their own processes (start-up left out) from the sources through tsx, and the backups again from a bundle (bundled…); peak RSS of those processes; restic 0.14 for the SQLite day',
    };
  },
};

if (process.argv[1]?.endsWith('repository.ts')) {
  void repositorySuite
    .run()
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`));
}
