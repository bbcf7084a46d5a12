/**
 * Repositories (issue 12): Tend's restic-compatible repository against `tar czf` / `tar xzf`,
 * with restic beside it, on the same trees in the same run, by turns (bench/pairs.ts): a
 * warm-up pair, then `--pairs` pairs (5 by default), each figure the median of the pairs'
 * ratios with their min and max. In each pair `tar czf` and `tar xzf` run first (the standard
 * tool's side), then Tend's calls, then restic's:
 * - first backup into an empty repository, and a second one with nothing changed, vs `tar czf`,
 *   beside the floor under the second (`walkFloor`: GNU find listing the tree, vs `tar czf`);
 * - a full restore vs `tar xzf`, and one file restored alone;
 * - the peak memory of each call (each runs in its own process);
 * - a day of scattered updates to assistant.db (500 updates, 200 deletes, 1,000 inserts): bytes
 *   each repository grew by, against the database's size, Tend beside restic.
 * Trees: demo roots (the small one, 24 MB, and the medium one, 313 MB, the size of the folder
 * issue 12 measured; or the sizes given) and a tree of 20,000 small files unlike the demo: real
 * source files from node_modules (sourceFiles). The day of SQLite updates runs on each
 * demo's assistant.db.
 *
 * Run it with `npm run bench -- --only repository`, or alone with
 * `npx tsx bench/repository.ts [small] [medium] [--no-many] [--pairs N] [--quick] [--from-sources]`
 * (`--quick`: the small demo alone, three pairs). Each figure comes as wall seconds and, for backups
 * and restores, as CPU seconds (user + system), which a shared machine disturbs less.
 *
 * Tend's calls run from a bundle of bench/repository-child.ts, built from the sources at the
 * start of the run, as the command line and the app run them (`--from-sources`: through tsx,
 * where each worker thread first registers tsx and compiles its modules, which no user pays).
 * They are timed inside their process, from just before the repository is opened to the end of
 * the call; restic is timed as a whole process under GNU time (Go starts in milliseconds).
 * Each step starts once the disk has settled (`sync`, untimed), so none pays for another's
 * writes. Both open repositories Tend initialised with the bench's light scrypt cost, so
 * neither pays restic's calibrated key derivation (about 0.5 s a call), and restic runs with
 * `--no-cache`, as Tend keeps no cache on disk.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { DemoSize } from '../src-shared/models/demo';
import { alternate, beside, compared, roundSpread, spreadOf } from './pairs';
import type { BenchSuite } from './suites';
import {
  benchCacheDir,
  demoRoot,
  loadAverage,
  log,
  ratio,
  round,
  scratchDir,
  timeCommand,
  type Measured,
} from './support';

const PASSWORD = 'bench passphrase';
const DB = 'local_data/internal_assistant/assistant.db';

/** The goals of issue 12. */
const GOALS = {
  firstBackupRatio: 0.3,
  unchangedBackupRatio: 0.05,
  sqliteDayShare: 0.06,
  fullRestoreRatio: 1.0,
  singleFileRestoreSeconds: 1,
  peakRssBytes: 300 * 1024 * 1024,
} as const;

/** How a run of the suite is shaped, from its command line. */
export interface RepositoryBenchOptions {
  /** The demo roots measured, in order. */
  sizes: DemoSize[];
  /** Pairs kept after the warm-up pair. */
  pairs: number;
  /** Whether the tree of 20,000 small files is measured beside the demo. */
  many: boolean;
  /** Tend's calls through tsx from the sources rather than from the bundle. */
  fromSources: boolean;
}

/**
 * Reads the suite's options from a command line: demo sizes (`small`, `medium`, `large`; by
 * default the small demo and the medium one, whose 313 MB are the size of the folder issue 12
 * measured), `--pairs N`, `--no-many`, `--quick` (the small demo alone, three pairs; `--pairs`
 * still wins) and `--from-sources`. Other arguments (`--only repository` of the bench's runner)
 * are left alone.
 */
export function repositoryOptions(argv: ReadonlyArray<string>): RepositoryBenchOptions {
  const quick = argv.includes('--quick');
  const named = argv.filter((arg): arg is DemoSize => ['small', 'medium', 'large'].includes(arg));
  const sizes: DemoSize[] = named.length > 0 ? named : quick ? ['small'] : ['small', 'medium'];
  let pairs = quick ? 3 : 5;
  const pairsAt = argv.indexOf('--pairs');
  if (pairsAt >= 0) {
    pairs = Number(argv[pairsAt + 1]);
    if (!Number.isInteger(pairs) || pairs < 1) {
      throw new Error(
        `--pairs takes a whole number of pairs, 1 or more (got ${argv[pairsAt + 1]}).`,
      );
    }
  }
  return {
    sizes,
    pairs,
    many: !quick && !argv.includes('--no-many'),
    fromSources: argv.includes('--from-sources'),
  };
}

function folderBytes(folder: string): number {
  return Number(execFileSync('du', ['-sb', folder], { encoding: 'utf8' }).split('\t')[0]);
}

function resticVersion(): string | null {
  const run = spawnSync('restic', ['version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : null;
}

/**
 * Writes every pending change to disk, untimed, before a timed step, so that no step pays for
 * the writeback of the one before it: Tend's restore ends with a filesystem sync (its
 * durability), which would otherwise also flush what tar and restic left pending.
 */
function settle(): void {
  execFileSync('sync');
}

/** One restic command on `repo`, timed as a whole process once the disk has settled. */
function restic(repo: string, args: ReadonlyArray<string>, cwd?: string): Promise<Measured> {
  settle();
  return timeCommand('restic', ['-r', repo, '--no-cache', '-q', ...args], {
    cwd,
    env: { ...process.env, RESTIC_PASSWORD: PASSWORD },
  });
}

/** A day of scattered changes to the assistant's store: 500 updates, 200 deletes, 1,000 inserts. */
export function scatteredDay(file: string, seed = 1): void {
  const db = new Database(file);
  const next = generator(seed);
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
 * own entries beside it, packages left in node_modules), so Tend's calls are timed as the
 * bundles run them. Built once per run, from the sources as they are.
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
      // The restore's writer threads (from 5,000 files), as out/cli and out/main ship them.
      'file-writer-worker': 'src-main/engine/fs/file-writer-worker.ts',
      // The restore's decode thread (from 10,000 blobs, where the machine has more than 2 cores).
      'blob-decode-worker': 'src-main/engine/repository/blob-decode-worker.ts',
      // The backup's sealer of large files and of databases read through a staged copy.
      'file-seal-worker': 'src-main/engine/repository/file-seal-worker.ts',
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

/** What one call of bench/repository-child.ts printed. */
interface ChildFigures extends Measured {
  bytesRead?: number;
  bytesStored?: number;
}

/** Runs one repository operation in its own process and returns what it printed. */
type Child = (args: ReadonlyArray<string>) => ChildFigures;

/**
 * Tend's calls from the bundle `bundled` names, or through tsx from the sources (null), each
 * once the disk has settled.
 */
function childRunner(bundled: string | null): Child {
  return (args) => {
    settle();
    const out = execFileSync(
      process.execPath,
      bundled
        ? [bundled, ...args]
        : ['--import', 'tsx', path.join(here, 'repository-child.ts'), ...args],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    return JSON.parse(out.trim().split('\n').at(-1)!) as ChildFigures;
  };
}

/** A new repository at `repo` with the bench's light key cost, for Tend or for restic. */
function initRepository(child: Child, repo: string): void {
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(`${repo}-staging`, { recursive: true, force: true });
  child(['init', repo, '.']);
}

/** Deterministic pseudo-random numbers below `limit` (mulberry32, whose every bit is usable). */
function generator(seed: number): (limit: number) => number {
  let state = seed >>> 0;
  return (limit) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * limit);
  };
}

/**
 * A tree of `count` small files unlike the demo: real source files (JavaScript, TypeScript,
 * JSON, source maps, Markdown) of 100 B to 64 KiB, taken evenly from this project's installed
 * node_modules in byte order of their paths and copied with their folders, once, under the bench
 * cache. Real text matters: a generated tree made `tar czf` run at a speed no real tree has
 * (the generator this replaced repeated its low bits, so that tree gzipped 45 to 1 and tar ran at
 * 110 MB/s; with the repetition fixed, its random digits made gzip run at 18 MB/s; on these
 * files it runs at about 32 MB/s and gzips about 4.8 to 1, as source does). The folder's name
 * carries a hash of the list, so other installed packages make another tree, not a stale one.
 */
export function sourceFiles(count = 20_000): string {
  const modules = path.resolve(here, '..', 'node_modules');
  const found = execFileSync(
    'find',
    [modules, '-type', 'f', '-size', '+99c', '-size', '-65537c', '-printf', '%P\\0'],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  )
    .split('\0')
    .filter((file) => file !== '' && !file.startsWith('.') && !file.includes('/.cache/'))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (found.length < count) {
    throw new Error(`node_modules has ${found.length} files of 100 B to 64 KiB, not ${count}.`);
  }
  const chosen = Array.from(
    { length: count },
    (_, i) => found[Math.floor((i * found.length) / count)]!,
  );
  const digest = createHash('sha256').update(chosen.join('\0')).digest('hex').slice(0, 12);
  const root = path.join(benchCacheDir, `source-files-${count}-${digest}`);
  const done = `${root}.done`;
  if (fs.existsSync(done)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  log(`copying ${count} source files from node_modules to ${root} (once)`);
  for (const file of chosen) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(path.join(modules, file), path.join(root, file));
  }
  fs.writeFileSync(done, new Date().toISOString());
  return root;
}

/** The standard tool's side of a pair, with the floor of an unchanged backup. */
interface TarRun {
  czf: Measured;
  xzf: Measured;
  /** GNU find listing the tree with what change detection compares (walkFloor). */
  walk: Measured;
}

/** restic's runs in a pair, beside Tend's. */
interface ResticRun {
  first: Measured;
  unchanged: Measured;
  restore: Measured;
  one: Measured;
}

/** Tend's side of a pair, with restic's runs that follow it. */
interface TendRun {
  first: ChildFigures;
  unchanged: ChildFigures;
  restore: ChildFigures;
  one: ChildFigures;
  /** Where the full restore went. */
  restoredTo: string;
  restic: ResticRun | null;
}

/**
 * Where one tree's runs write. Every restore goes into a new folder, and nothing the suite
 * writes is deleted before it ends: ext4 passes over inodes freed in the last minutes when it
 * creates a file (reading their table blocks to check), so a restore made right after the last
 * one's 20,000 files were removed took up to ten times as long, `tar xzf`'s and restic's as much
 * as Tend's (measured here: 1.5 s then 7.0 s for the same `tar xzf`). A run of the suite
 * therefore needs about 10 GB free with the medium demo.
 */
interface TreeWork {
  root: string;
  tarFile: string;
  tendRepo: string;
  resticRepo: string;
  /** A new folder's path for one run's output (`what`, numbered). */
  output(what: string): string;
}

function treeWork(work: string, name: string, root: string): TreeWork {
  const at = (what: string) => path.join(work, `${name}-${what}`);
  let outputs = 0;
  return {
    root,
    tarFile: at('tar.gz'),
    tendRepo: at('tend-repo'),
    resticRepo: at('restic-repo'),
    output: (what) => at(`${what}-${++outputs}`),
  };
}

/**
 * What any backup that finds unchanged files by their metadata must do at least: list the tree
 * and stat every entry (type, inode, device, links, size, owner, mode, mtime, ctime), as GNU
 * find does here, in C, its output thrown away. Against `tar czf` in the same pair it is the
 * floor under the unchanged backup's ratio on this machine: no such backup, Tend's or restic's,
 * goes below it.
 */
export const WALK_FLOOR_ARGS = ['.', '-printf', '%y %i %D %n %s %U %G %m %T@ %C@ %P\\0'];

/** The walk floor's seconds, tar czf's, and its ratio to them against the unchanged-backup goal. */
function walkFloor(find: ReadonlyArray<number>, tarCzf: ReadonlyArray<number>) {
  const { tend, standard, ratio } = compared(find, tarCzf);
  return {
    find: tend,
    tarCzf: standard,
    ratio,
    goal: GOALS.unchangedBackupRatio,
    goalBelowFloor: ratio.median > GOALS.unchangedBackupRatio,
  };
}

/** `tar czf` of the tree, the walk floor, then `tar xzf` of that archive into an empty folder. */
async function tarRun(at: TreeWork): Promise<TarRun> {
  settle();
  const czf = await timeCommand('tar', ['czf', at.tarFile, '.'], { cwd: at.root });
  settle();
  const walk = await timeCommand('find', WALK_FLOOR_ARGS, { cwd: at.root });
  const out = at.output('untar');
  fs.mkdirSync(out);
  settle();
  const xzf = await timeCommand('tar', ['xzf', at.tarFile], { cwd: out });
  return { czf, xzf, walk };
}

/**
 * Tend's first backup into a new repository, the unchanged one after it, a full restore and
 * one file's; then restic's same four on a repository of its own. The full restore stays in
 * place until the next pair, so the last one can be compared with the tree.
 */
async function tendRun(
  at: TreeWork,
  child: Child,
  singleFile: string,
  withRestic: boolean,
): Promise<TendRun> {
  initRepository(child, at.tendRepo);
  const first = child(['backup', at.tendRepo, at.root]);
  const unchanged = child(['backup', at.tendRepo, at.root]);
  const restoredTo = at.output('tend-restore');
  const restore = child(['restore', at.tendRepo, restoredTo]);
  const one = child(['restore-file', at.tendRepo, at.output('tend-restore-one'), singleFile]);
  if (!withRestic) return { first, unchanged, restore, one, restoredTo, restic: null };

  initRepository(child, at.resticRepo);
  const resticFirst = await restic(at.resticRepo, ['backup', '.'], at.root);
  const resticUnchanged = await restic(at.resticRepo, ['backup', '.'], at.root);
  const resticRestore = await restic(at.resticRepo, [
    'restore',
    'latest',
    '--target',
    at.output('restic-restore'),
  ]);
  const resticOne = await restic(at.resticRepo, [
    'restore',
    'latest',
    '--target',
    at.output('restic-restore-one'),
    '--include',
    `/${singleFile}`,
  ]);
  return {
    first,
    unchanged,
    restore,
    one,
    restoredTo,
    restic: {
      first: resticFirst,
      unchanged: resticUnchanged,
      restore: resticRestore,
      one: resticOne,
    },
  };
}

/**
 * Header fields SQLite's online backup API sets in the copy it makes (Tend's snapshot of a
 * database): the file change counter (24–27), the schema cookie (40–43), version-valid-for and
 * the library's version number (92–99). Every other byte of a restored database is the source's.
 */
const SQLITE_COPY_FIELDS: ReadonlyArray<readonly [number, number]> = [
  [24, 28],
  [40, 44],
  [92, 100],
];
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether two files are the same SQLite database, byte for byte but the copy's header fields. */
export function sameDatabaseBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length || a.length < 100) return false;
  if (!a.subarray(0, 16).equals(SQLITE_MAGIC) || !b.subarray(0, 16).equals(SQLITE_MAGIC)) {
    return false;
  }
  let from = 0;
  for (const [start, end] of SQLITE_COPY_FIELDS) {
    if (!a.subarray(from, start).equals(b.subarray(from, start))) return false;
    from = end;
  }
  return a.subarray(from).equals(b.subarray(from));
}

/**
 * Whether a restored tree is the source's: `diff -r` finds no difference, or the only files that
 * differ are SQLite databases whose bytes differ only in the fields SQLite's backup API writes.
 */
export function sameTree(source: string, restored: string): boolean {
  const run = spawnSync('diff', ['-r', '--no-dereference', '-q', source, restored], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status === 0) return true;
  if (run.status !== 1) return false;
  // `Files <source>/<path> and <restored>/<path> differ`, one line each; any other line (a
  // file on one side only, a link, a type) is a difference.
  const head = `Files ${source}/`;
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  return lines.every((line) => {
    const middle = line.indexOf(` and ${restored}/`);
    if (!line.startsWith(head) || !line.endsWith(' differ') || middle < 0) return false;
    const relative = line.slice(head.length, middle);
    return sameDatabaseBytes(
      fs.readFileSync(path.join(source, relative)),
      fs.readFileSync(path.join(restored, relative)),
    );
  });
}

/**
 * Tend's figure against the standard tool's over the pairs, with restic's beside it (its own
 * figure, its ratio to the tool's, Tend's to its) when it ran.
 */
function comparedWithRestic(
  tend: ReadonlyArray<number>,
  standard: ReadonlyArray<number>,
  resticRuns: ReadonlyArray<number> | null,
  goal?: number,
) {
  return {
    ...compared(tend, standard, goal),
    restic: resticRuns ? beside(resticRuns, standard, tend) : null,
  };
}

/** The backup and restore figures of one tree over alternated pairs. */
async function measureTree(
  name: string,
  source: string,
  work: string,
  options: { pairs: number; singleFile: string; child: Child; withRestic: boolean },
): Promise<Record<string, unknown>> {
  const root = path.join(work, `${name}-root`);
  execFileSync('cp', ['-a', source, root]);
  fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
  const at = treeWork(work, name, root);
  const loadBefore = loadAverage();
  const started = performance.now();
  const runs = await alternate({
    label: name,
    pairs: options.pairs,
    standard: () => tarRun(at),
    tend: () => tendRun(at, options.child, options.singleFile, options.withRestic),
    describe: (tend, tar) =>
      `tar czf ${round(tar.czf.seconds)} s, first ${round(tend.first.seconds)} s, unchanged ${round(tend.unchanged.seconds)} s` +
      (tend.restic
        ? ` (restic ${round(tend.restic.first.seconds)} s, ${round(tend.restic.unchanged.seconds)} s)`
        : '') +
      `; tar xzf ${round(tar.xzf.seconds)} s, restore ${round(tend.restore.seconds)} s` +
      (tend.restic ? ` (restic ${round(tend.restic.restore.seconds)} s)` : ''),
  });
  const seconds = (performance.now() - started) / 1000;
  const tar = {
    czf: runs.standard.map((run) => run.czf),
    xzf: runs.standard.map((run) => run.xzf),
    walk: runs.standard.map((run) => run.walk),
  };
  const ours = (pick: (run: TendRun) => ChildFigures) => runs.tend.map(pick);
  const theirs = (pick: (run: ResticRun) => Measured) =>
    options.withRestic ? runs.tend.map((run) => pick(run.restic!)) : null;
  const wall = (measured: ReadonlyArray<Measured>) => measured.map((run) => run.seconds);
  const cpu = (measured: ReadonlyArray<Measured>) => measured.map((run) => run.cpuSeconds);
  const wallOf = (list: ReadonlyArray<Measured> | null) => (list ? wall(list) : null);
  const cpuOf = (list: ReadonlyArray<Measured> | null) => (list ? cpu(list) : null);

  const first = ours((run) => run.first);
  const unchanged = ours((run) => run.unchanged);
  const restore = ours((run) => run.restore);
  const one = ours((run) => run.one);
  const resticFirst = theirs((run) => run.first);
  const resticUnchanged = theirs((run) => run.unchanged);
  const resticRestore = theirs((run) => run.restore);
  const resticOne = theirs((run) => run.one);

  // The last full restore against the tree: a figure for a restore that is not the data's
  // would mean nothing (the tests check restores byte for byte; this checks the bench's own).
  const restoreIdentical = sameTree(root, runs.tend.at(-1)!.restoredTo);
  const peakTend = Math.max(...[first, unchanged, restore, one].flat().map((r) => r.maxRssBytes));
  const peakRestic = options.withRestic
    ? Math.max(
        ...[resticFirst!, resticUnchanged!, resticRestore!, resticOne!]
          .flat()
          .map((run) => run.maxRssBytes),
      )
    : null;
  const oneSeconds = spreadOf(wall(one));
  const files = Number(
    execFileSync('sh', ['-c', `find . -type f | wc -l`], { cwd: root, encoding: 'utf8' }),
  );
  const figures = {
    tree: name,
    files,
    bytes: folderBytes(root),
    pairs: options.pairs,
    seconds: round(seconds, 1),
    loadAverage: { before: loadBefore, after: loadAverage() },
    // Seconds, Tend (and restic) over tar czf, pair by pair.
    firstBackup: comparedWithRestic(
      wall(first),
      wall(tar.czf),
      wallOf(resticFirst),
      GOALS.firstBackupRatio,
    ),
    firstBackupCpu: comparedWithRestic(cpu(first), cpu(tar.czf), cpuOf(resticFirst)),
    unchangedBackup: comparedWithRestic(
      wall(unchanged),
      wall(tar.czf),
      wallOf(resticUnchanged),
      GOALS.unchangedBackupRatio,
    ),
    unchangedBackupCpu: comparedWithRestic(cpu(unchanged), cpu(tar.czf), cpuOf(resticUnchanged)),
    // GNU find's listing over tar czf, pair by pair (WALK_FLOOR_ARGS): where its ratio is above
    // the goal, no backup that stats every entry can meet the goal on this machine.
    walkFloor: walkFloor(wall(tar.walk), wall(tar.czf)),
    unchangedBackupBytesRead: unchanged.at(-1)!.bytesRead ?? null,
    // Seconds, Tend (and restic) over tar xzf into an empty folder.
    fullRestore: comparedWithRestic(
      wall(restore),
      wall(tar.xzf),
      wallOf(resticRestore),
      GOALS.fullRestoreRatio,
    ),
    fullRestoreCpu: comparedWithRestic(cpu(restore), cpu(tar.xzf), cpuOf(resticRestore)),
    restoreIdentical,
    singleFile: options.singleFile,
    singleFileRestoreSeconds: {
      tend: roundSpread(oneSeconds),
      tendCpu: roundSpread(spreadOf(cpu(one))),
      restic: resticOne ? roundSpread(spreadOf(wall(resticOne))) : null,
      goal: GOALS.singleFileRestoreSeconds,
      meetsGoal: oneSeconds.median < GOALS.singleFileRestoreSeconds,
    },
    peakRssBytes: {
      tend: peakTend,
      restic: peakRestic,
      goal: GOALS.peakRssBytes,
      meetsGoal: peakTend <= GOALS.peakRssBytes,
      // The largest of each of Tend's calls over the pairs: which one the peak is.
      tendByCall: {
        firstBackup: Math.max(...first.map((run) => run.maxRssBytes)),
        unchangedBackup: Math.max(...unchanged.map((run) => run.maxRssBytes)),
        fullRestore: Math.max(...restore.map((run) => run.maxRssBytes)),
        oneFile: Math.max(...one.map((run) => run.maxRssBytes)),
      },
    },
    repositoryBytes: {
      tend: folderBytes(at.tendRepo),
      restic: options.withRestic ? folderBytes(at.resticRepo) : null,
      tarGz: fs.statSync(at.tarFile).size,
    },
  };
  return figures;
}

/**
 * What the repository and restic's grow by after a day of scattered updates to assistant.db.
 * What it writes stays until the suite ends, as measureTree's does (TreeWork).
 */
async function sqliteDay(
  name: string,
  source: string,
  work: string,
  child: Child,
  withRestic: boolean,
): Promise<Record<string, unknown>> {
  const root = path.join(work, `${name}-day-root`);
  execFileSync('cp', ['-a', source, root]);
  fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
  const dbBytes = fs.statSync(path.join(root, DB)).size;
  const ours = path.join(work, `${name}-day-tend`);
  initRepository(child, ours);
  child(['backup', ours, root]);
  const resticRepo = path.join(work, `${name}-day-restic`);
  if (withRestic) {
    initRepository(child, resticRepo);
    await restic(resticRepo, ['backup', '.'], root);
  }
  const oursBefore = folderBytes(ours);
  const theirsBefore = withRestic ? folderBytes(resticRepo) : 0;
  log('a day of scattered updates to assistant.db');
  scatteredDay(path.join(root, DB));
  child(['backup', ours, root]);
  if (withRestic) await restic(resticRepo, ['backup', '.'], root);
  const oursAdded = folderBytes(ours) - oursBefore;
  const theirsAdded = withRestic ? folderBytes(resticRepo) - theirsBefore : null;
  const share = oursAdded / dbBytes;
  return {
    databaseBytes: dbBytes,
    tendAddedBytes: oursAdded,
    tendAddedShare: round(share),
    resticAddedBytes: theirsAdded,
    resticAddedShare: theirsAdded === null ? null : ratio(theirsAdded, dbBytes),
    goal: GOALS.sqliteDayShare,
    meetsGoal: share <= GOALS.sqliteDayShare,
  };
}

/** The first file of the 20,000 (in sorted order), relative to the tree. */
function firstFileOf(tree: string): string {
  return execFileSync('sh', ['-c', 'find . -type f | sort | head -1'], {
    cwd: tree,
    encoding: 'utf8',
  })
    .trim()
    .slice(2);
}

/** The repository suite. */
export const repositorySuite: BenchSuite = {
  description:
    'repository: first and unchanged backups vs tar czf, restores vs tar xzf, restic beside Tend, peak memory, on the small and medium demo roots and 20,000 small source files; bytes added by a day of SQLite updates to each demo, Tend vs restic',
  async run() {
    const options = repositoryOptions(process.argv.slice(2));
    const started = performance.now();
    const loadBefore = loadAverage();
    const version = resticVersion();
    if (!version) log('restic is not installed: its figures are left out (apt-get install restic)');
    const work = scratchDir('repository');
    const child = childRunner(options.fromSources ? null : await bundledChild());
    const measure = { pairs: options.pairs, child, withRestic: version !== null };
    const trees = [];
    const sqliteDays: Record<string, Record<string, unknown>> = {};
    for (const size of options.sizes) {
      const demo = await demoRoot(size);
      trees.push(await measureTree(`demo-${size}`, demo, work, { ...measure, singleFile: DB }));
      sqliteDays[`demo-${size}`] = await sqliteDay(
        `demo-${size}`,
        demo,
        work,
        child,
        version !== null,
      );
    }
    if (options.many) {
      const many = sourceFiles();
      trees.push(
        await measureTree('source-files', many, work, {
          ...measure,
          singleFile: firstFileOf(many),
        }),
      );
    }
    fs.rmSync(work, { recursive: true, force: true });
    return {
      trees,
      sqliteDay: sqliteDays,
      pairs: options.pairs,
      warmups: 1,
      tendFrom: options.fromSources ? 'sources (tsx)' : 'bundle',
      restic: version,
      goals: GOALS,
      seconds: round((performance.now() - started) / 1000, 1),
      loadAverage: { before: loadBefore, after: loadAverage() },
      note: `a warm-up pair, then ${options.pairs} pair${options.pairs === 1 ? '' : 's'}: tar czf and tar xzf, then Tend's calls, then restic's; each ratio the median of the pairs' ratios (min, max). Tend's calls ${options.fromSources ? 'from the sources through tsx' : 'from a bundle of the child built from the sources, as the command line and the app run them'}, each in its own process, timed inside it from the repository's opening (Node's start-up and module loading left out); restic and tar timed as whole processes under GNU time; every step starts once the disk has settled (sync, untimed); both repositories initialised by Tend with a light scrypt cost; restic with --no-cache. CPU is user + system.`,
    };
  },
};

if (process.argv[1]?.endsWith('repository.ts')) {
  void repositorySuite
    .run()
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`));
}
