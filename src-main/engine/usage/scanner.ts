import fs from 'node:fs';
import { categories } from '../../../src-shared/models/categories';
import type { LargeFile, ScanStats } from '../../../src-shared/models/usage';
import { DIRECT_PATH_BYTES } from '../fs/sys-path';
import { LoopBudget } from '../fs/loop-budget';
import { lstatEntry, readFolderNames } from '../fs/sys-fs';
import { categorizerFor, isTendEntry, type CategoryRule } from '../root/category-rules';
import { needsExactPath, statEntry } from './entry-stat';
import { scanWithFind } from './find-scan';
import { FindUnusable, hasGnuFind } from './find-walk';
import { categoryAt, folderCategorizerFor } from './folder-categorizer';
import { HardLinks } from './hard-links';
import { LargestFiles } from './largest-files';
import { FolderRecord, nameIndex, nameIndexer, sumFigures } from './usage-tree';
import { applyWrittenFiles } from './written-in-place';

/** A scan of a root: the folder tree with its figures, and the largest files. */
export interface UsageScan {
  readonly rootPath: string;
  readonly root: FolderRecord;
  readonly largest: ReadonlyArray<LargeFile>;
  /** How many largest files the scan kept at most (fewer kept: every non-empty file is in). */
  readonly largestCapacity: number;
  readonly stats: ScanStats;
  readonly startedAt: Date;
  readonly durationMs: number;
  /** False for the partial scans handed to `onProgress`. */
  readonly complete: boolean;
  /** Whether a file with several hard links was met (then an update rescans: see `changed`). */
  readonly hasLinks: boolean;
}

/** How a scan runs. */
export interface ScanOptions {
  /** The previous complete scan of the same root: unchanged folders are not listed again. */
  previous?: UsageScan | null;
  signal?: AbortSignal;
  /** Called with the figures so far, at most every `progressEveryMs`. */
  onProgress?: (partial: UsageScan) => void;
  progressEveryMs?: number;
  /**
   * How long the scanner works before it lets the event loop run (ms; 10 unless given, through
   * fs/loop-budget.ts, looked at between folders and every 256 entries). The file system calls
   * are synchronous because they are several times faster than the async ones (measured on
   * 200,000 files: 0.5 s against 3.4 s); slicing keeps the process answering meanwhile.
   */
  sliceMs?: number;
  /** How many of the largest files to keep. */
  largest?: number;
  /**
   * How much older than its listing a folder's timestamps must be to be trusted (ms). Tests
   * lower it to exercise reuse without waiting; leave it alone otherwise.
   */
  racyMs?: number;
  /** The root's category rules (its profile's). */
  rules: ReadonlyArray<CategoryRule>;
  /**
   * With `previous`: the only folders (root-relative) where entries may have been added,
   * removed, renamed or changed, as a file watcher saw them. Every other folder whose own entry
   * did not move is taken whole from `previous`, without a system call below it, and the
   * folders on the way to a change are carried without looking at their subfolders: an update
   * costs the changed folders only.
   */
  changed?: ReadonlySet<string>;
  /**
   * With `changed`: files (root-relative) written in place, as the watcher saw them. A folder
   * that holds only such changes is not listed: those files alone are lstat-ed again, the
   * others keep the sizes the last scan found. They are applied to `previous`'s tree in place
   * (written-in-place.ts), so `previous` is not to be read as it was once this is called: the
   * caller keeps the scan it returns instead.
   */
  changedFiles?: ReadonlySet<string>;
  /**
   * How a scan without `previous` walks the tree. `auto` (unless given): GNU find in a process
   * of its own where there is one (Linux), its output read here as it streams, so the walk
   * and the bookkeeping run on two cores; Node's calls elsewhere, or when find fails on this
   * root. `find` and `node` force one way (tests compare the two; `find` throws FindUnusable
   * when it cannot be used).
   */
  walk?: 'auto' | 'find' | 'node';
}

/** Thrown inside an update that cannot be exact; the scan is then done as a plain rescan. */
class UpdateNeedsRescan extends Error {}

/**
 * A folder's timestamps are trusted only when they are older than its listing by this much:
 * a change in the same clock tick as the listing would otherwise leave them equal (git's
 * "racily clean" problem). Two seconds covers the coarsest common file system (FAT).
 */
const RACY_MS = 2_000;
const LSTAT = { throwIfNoEntry: false } as const;
const MAX_UNREADABLE_EXAMPLES = 10;

interface FolderTask {
  folder: FolderRecord;
  previous: FolderRecord | undefined;
  /** The folder's own lstat; null when an update carries it without looking (`carry`). */
  stat: fs.Stats | null;
}

/** How many entries a folder's loops handle between two looks at the loop budget. */
const ENTRIES_PER_LOOK = 256;

/**
 * Measures a root exactly as `du` does, without Tend's `.tend/`.
 *
 * Apparent size is the sum of lstat sizes (`du -sb`), allocated size the sum of blocks × 512
 * (`du -sB1`); folders count their own entries as du does; symlinks are never followed (a link
 * counts its own size); a file with several hard links counts once. Figures are kept per folder
 * and per category, with the largest files; no object is kept per file.
 *
 * With `previous`, a folder whose inode, mtime and ctime did not move since it was listed is
 * not listed again: its entries cannot have been added, removed or renamed. Every file is
 * still lstat-ed, because a file written in place changes its size without touching its
 * folder. So a rescan gives exactly the figures of a fresh scan.
 */
export async function scanUsage(rootPath: string, options: ScanOptions): Promise<UsageScan> {
  if (!options.previous) return firstScan(rootPath, options);
  if (!options.changed) return scanTree(rootPath, options, null);
  // Hard links: a file counts once, at one of its links (hard-links.ts), so a folder taken
  // whole could count a file that a changed folder now also reaches (or no longer reaches).
  if (options.previous.hasLinks) return scanTree(rootPath, options, null);
  try {
    return await updateScan(rootPath, { ...options, previous: options.previous });
  } catch (error) {
    if (error instanceof UpdateNeedsRescan) return scanTree(rootPath, options, null);
    throw error;
  }
}

/** Roots where find failed (an unreadable folder, say): their scans walk with Node's calls. */
const findFailedAt = new Set<string>();

/**
 * A scan with nothing to reuse: with GNU find where it can (`ScanOptions.walk`), else with
 * Node's calls. Both give the same tree and figures (tests/main/engine/usage/find-scan.test.ts).
 */
async function firstScan(rootPath: string, options: ScanOptions): Promise<UsageScan> {
  const walk = options.walk ?? 'auto';
  if (walk === 'find') return scanWithFind(rootPath, options);
  if (walk === 'node' || !hasGnuFind() || findFailedAt.has(rootPath)) {
    return scanTree(rootPath, options, null);
  }
  // A root Node must reach through an open folder (a name that is not UTF-8 above it, a long
  // path) is left to scanner.ts, which knows how.
  if (needsExactPath(rootPath)) return scanTree(rootPath, options, null);
  // Partial figures only grow (UsageReport.complete): after a failed find, the walk with
  // Node's calls starts again from nothing, so its partials wait until they pass the last one.
  let shown = { files: 0, apparentBytes: 0 };
  const onProgress =
    options.onProgress &&
    ((partial: UsageScan) => {
      const figures = sumFigures(partial.root.total);
      if (figures.files < shown.files || figures.apparentBytes < shown.apparentBytes) return;
      shown = figures;
      options.onProgress!(partial);
    });
  try {
    return await scanWithFind(rootPath, { ...options, onProgress });
  } catch (error) {
    if (!(error instanceof FindUnusable)) throw error;
    findFailedAt.add(rootPath);
    return scanTree(rootPath, { ...options, onProgress }, null);
  }
}

/**
 * An update of `previous` from what a watcher saw: files written in place are applied where
 * they stand (written-in-place.ts: an lstat and the folder's depth each); only when folders
 * changed does it walk the tree, listing those folders and taking the others whole.
 */
async function updateScan(
  rootPath: string,
  options: ScanOptions & { previous: UsageScan },
): Promise<UsageScan> {
  const started = new Date();
  const startedMs = performance.now();
  const changed = options.changed ?? new Set<string>();
  let previous = options.previous;
  let files = options.changedFiles ?? new Set<string>();
  const written =
    files.size > 0 && (options.largest ?? 1000) === previous.largestCapacity
      ? await applyWrittenFiles(
          previous,
          files,
          changed,
          new LoopBudget(options.sliceMs ?? 10),
          options.signal,
        )
      : null;
  if (written) {
    previous = { ...previous, largest: written.largest };
    files = written.rest;
    if (changed.size === 0 && files.size === 0) {
      return {
        ...previous,
        stats: {
          mode: 'update',
          foldersListed: 0,
          foldersReused: previous.root.folders + 1,
          entriesChecked: written.checked,
          unreadable: 0,
          unreadableExamples: [],
        },
        startedAt: started,
        durationMs: Math.round(performance.now() - startedMs),
        complete: true,
      };
    }
  }
  const scan = await scanTree(rootPath, { ...options, previous }, updatePlan(changed, files));
  if (!written) return scan;
  return {
    ...scan,
    stats: { ...scan.stats, entriesChecked: scan.stats.entriesChecked + written.checked },
  };
}

/** A scan; with `plan`, an update of `previous` (see `ScanOptions.changed`). */
async function scanTree(
  rootPath: string,
  options: ScanOptions,
  plan: UpdatePlan | null,
): Promise<UsageScan> {
  const touched = plan?.touched ?? null;
  const started = new Date();
  const startedMs = performance.now();
  const folderCategorizer = folderCategorizerFor(options.rules);
  const categorize = categorizerFor(options.rules);
  const largest = new LargestFiles(options.largest ?? 1000);
  // Every long loop (folders, a folder's entries, its files' figures) gives the event loop its
  // turn when the budget is spent: a folder of 100,000 files does not hold the process.
  const budget = new LoopBudget(options.sliceMs ?? 10);
  const breathe = async () => {
    await budget.pause();
    options.signal?.throwIfAborted();
  };
  const racyMs = options.racyMs ?? RACY_MS;
  const progressEveryMs = options.progressEveryMs ?? 250;
  const previousRoot = options.previous?.root;
  const stats: ScanStats & { unreadableExamples: Array<{ path: string; message: string }> } = {
    mode: touched ? 'update' : previousRoot ? 'rescan' : 'full',
    foldersListed: 0,
    foldersReused: 0,
    entriesChecked: 0,
    unreadable: 0,
    unreadableExamples: [],
  };
  const links = new HardLinks();
  /** Folders taken whole from `previous` by an update: their files' largest entries stay. */
  const adopted = new Set<string>();
  /** Folders patched by an update, with the names of the files lstat-ed again in each. */
  const patched = new Map<string, ReadonlySet<string>>();
  const irreplaceable = categories.indexOf('irreplaceable');

  const unreadable = (path: string, error: unknown) => {
    stats.unreadable++;
    if (stats.unreadableExamples.length < MAX_UNREADABLE_EXAMPLES) {
      stats.unreadableExamples.push({ path, message: (error as Error).message });
    }
  };
  const absolute = (relative: string) => (relative === '' ? rootPath : `${rootPath}/${relative}`);

  const root = new FolderRecord('', '', null);
  const snapshot = (complete: boolean): UsageScan => ({
    rootPath,
    root,
    largest: largest.sorted(),
    largestCapacity: largest.capacity,
    stats: { ...stats, unreadableExamples: [...stats.unreadableExamples] },
    startedAt: started,
    durationMs: Math.round(performance.now() - startedMs),
    complete,
    hasLinks: links.size > 0,
  });

  const rootStat = fs.lstatSync(rootPath);
  const stack: FolderTask[] = [{ folder: root, previous: previousRoot, stat: rootStat }];
  let lastProgress = performance.now();

  while (stack.length > 0) {
    const task = stack.pop()!;
    await visitFolder(task);
    if (budget.spent) await breathe();
    const now = performance.now();
    if (options.onProgress && now - lastProgress >= progressEveryMs) {
      lastProgress = now;
      options.onProgress(snapshot(false));
    }
  }
  links.settle(largest);
  if (touched) keepAdoptedLargest();
  return snapshot(true);

  /**
   * Takes an unchanged folder whole from the previous scan, figures, names and subfolders:
   * not in the watcher's changes, and its own entry (inode, mtime, ctime) as it was.
   */
  function adopt(parent: FolderRecord, previous: FolderRecord | undefined, stat: fs.Stats) {
    if (
      !touched ||
      !previous ||
      touched.has(previous.path) ||
      previous.ino !== stat.ino ||
      previous.mtimeMs !== stat.mtimeMs ||
      previous.ctimeMs !== stat.ctimeMs
    ) {
      return false;
    }
    take(parent, previous);
    return true;
  }

  /** Puts a folder of the previous scan, whole, under `parent` in the new tree. */
  function take(parent: FolderRecord, previous: FolderRecord): void {
    parent.children.push(previous);
    previous.parent = parent;
    for (let node: FolderRecord | null = parent; node; node = node.parent) {
      for (let slot = 0; slot < previous.total.length; slot++) {
        node.total[slot]! += previous.total[slot]!;
      }
      node.folders += previous.folders + 1;
    }
    stats.foldersReused += previous.folders + 1;
    adopted.add(previous.path);
  }

  /**
   * Offers the previous scan's largest files that lie in adopted folders. Exact only when no
   * file left out of the previous list can belong in the new one: when that list was full,
   * the new one must still be full of files at least as large as its smallest.
   */
  function keepAdoptedLargest(): void {
    const before = options.previous!.largest;
    for (const file of before) {
      if (inAdopted(file.path) || unchangedInPatched(file.path)) {
        largest.offer(file.apparentBytes, () => file);
      }
    }
    const wasFull = before.length >= largest.capacity && largest.capacity > 0;
    if (!wasFull) return;
    const smallestBefore = before.at(-1)!.apparentBytes;
    if (largest.size < largest.capacity || largest.threshold < smallestBefore) {
      throw new UpdateNeedsRescan();
    }
  }

  function unchangedInPatched(filePath: string): boolean {
    const slash = filePath.lastIndexOf('/');
    const names = patched.get(slash === -1 ? '' : filePath.slice(0, slash));
    return names !== undefined && !names.has(filePath.slice(slash + 1));
  }

  function inAdopted(filePath: string): boolean {
    for (let at = filePath.indexOf('/'); at !== -1; at = filePath.indexOf('/', at + 1)) {
      if (adopted.has(filePath.slice(0, at))) return true;
    }
    return false;
  }

  /**
   * An update's folder that lies on the way to changes but whose own entries the watcher did
   * not see change: taken from the previous scan without listing it or looking at its
   * subfolders (only the files written in place in it are lstat-ed), its subfolders taken
   * whole unless a change lies below them. False when it is not that simple (a name that is not
   * one of its files, a file gone or now a folder): then it is listed.
   */
  function carry(folder: FolderRecord, previous: FolderRecord): boolean {
    const names = plan!.patches.get(folder.path);
    const count = previous.fileCategories.length;
    const reread: Array<{ index: number; name: string; stat: fs.Stats }> = [];
    if (names) {
      if (previous.fileSizes.length !== count * 2) return false;
      const folderPath = absolute(folder.path);
      const exact = previous.exactNames || needsExactPath(folderPath);
      const indexOf = nameIndexer(previous, names.size);
      for (const name of names) {
        const index = indexOf(name);
        if (index === -1) return false;
        stats.entriesChecked++;
        const fileStat = statEntry(`${folderPath}/${name}`, exact);
        if (!fileStat || fileStat.isDirectory()) return false;
        reread.push({ index, name, stat: fileStat });
      }
    }
    stats.foldersReused++;
    folder.ino = previous.ino;
    folder.mtimeMs = previous.mtimeMs;
    folder.ctimeMs = previous.ctimeMs;
    folder.selfCategory = previous.selfCategory;
    folder.listedAtMs = previous.listedAtMs;
    folder.exactNames = previous.exactNames;
    folder.fileNamesJoined = previous.fileNamesJoined;
    folder.fileCategories = previous.fileCategories;
    folder.own.set(previous.own);
    folder.ownFilesBytes = previous.ownFilesBytes;
    // Shared with the previous scan unless a file changed (this scan replaces that one).
    folder.fileSizes = reread.length === 0 ? previous.fileSizes : previous.fileSizes.slice();
    // Its files not re-read keep their places among the largest files (keepAdoptedLargest).
    patched.set(folder.path, names ?? new Set());
    const prefix = folder.path === '' ? '' : `${folder.path}/`;
    for (const { index, name, stat: fileStat } of reread) {
      if (fileStat.nlink > 1) throw new UpdateNeedsRescan();
      countFile(folder, index, fileStat, prefix, name, true);
    }
    for (let node: FolderRecord | null = folder; node; node = node.parent) {
      for (let slot = 0; slot < folder.own.length; slot++) node.total[slot]! += folder.own[slot]!;
      if (node !== folder) node.folders++;
    }
    for (const previousChild of previous.children) {
      if (!touched!.has(previousChild.path)) {
        take(folder, previousChild);
        continue;
      }
      const child = new FolderRecord(previousChild.name, previousChild.path, folder);
      folder.children.push(child);
      stack.push({ folder: child, previous: previousChild, stat: null });
    }
    return true;
  }

  /**
   * Counts one file into its folder's figures and offers it to the largest files; `replace`
   * first takes out what the file was (an update of a file written in place).
   */
  function countFile(
    folder: FolderRecord,
    index: number,
    fileStat: fs.Stats,
    prefix: string,
    name: string,
    replace: boolean,
  ): void {
    const sizes = folder.fileSizes;
    const apparent = fileStat.size;
    const allocated = fileStat.blocks * 512;
    const category = folder.fileCategories[index]!;
    if (replace) {
      add(folder.own, category * 3, -sizes[index * 2]!);
      add(folder.own, category * 3 + 1, -sizes[index * 2 + 1]!);
      add(folder.own, category * 3 + 2, -1);
      folder.ownFilesBytes -= sizes[index * 2]!;
    }
    add(folder.own, category * 3, apparent);
    add(folder.own, category * 3 + 1, allocated);
    add(folder.own, category * 3 + 2, 1);
    folder.ownFilesBytes += apparent;
    sizes[index * 2] = apparent;
    sizes[index * 2 + 1] = allocated;
    if (apparent > largest.threshold) {
      largest.offer(apparent, () => ({
        path: prefix + name,
        apparentBytes: apparent,
        allocatedBytes: allocated,
        category: categoryAt(category),
        modifiedAt: new Date(fileStat.mtimeMs).toISOString(),
      }));
    }
  }

  /**
   * The lstat of a folder an update reaches without its parent having looked (its parent was
   * carried): the watcher named it, so it must still be there as a folder, else a rescan.
   */
  function statOfNamed(folder: FolderRecord): fs.Stats {
    const folderPath = absolute(folder.path);
    stats.entriesChecked++;
    const stat = statEntry(folderPath, needsExactPath(folderPath));
    if (!stat || !stat.isDirectory()) throw new UpdateNeedsRescan();
    return stat;
  }

  async function visitFolder(task: FolderTask): Promise<void> {
    const { folder, previous } = task;
    // Carried only when its own entry is known not to have moved (its parent was carried, so
    // nothing above it changed, or its lstat matches): else something the watcher did not
    // name changed in it, and it is listed.
    if (
      plan &&
      previous &&
      !plan.changed.has(folder.path) &&
      (task.stat === null || sameEntry(previous, task.stat)) &&
      carry(folder, previous)
    ) {
      return;
    }
    const stat = task.stat ?? statOfNamed(folder);
    const folderPath = absolute(folder.path);
    folder.ino = stat.ino;
    folder.mtimeMs = stat.mtimeMs;
    folder.ctimeMs = stat.ctimeMs;
    // The rules do not change between scans of a session (file categories are reused too).
    const selfCategory =
      folder.path === '' ? irreplaceable : (previous?.selfCategory ?? categoryIndex(folder.path));
    folder.selfCategory = selfCategory;
    add(folder.own, selfCategory * 3, stat.size);
    add(folder.own, selfCategory * 3 + 1, stat.blocks * 512);

    const reusable =
      previous !== undefined &&
      previous.ino === stat.ino &&
      previous.mtimeMs === stat.mtimeMs &&
      previous.ctimeMs === stat.ctimeMs &&
      Math.max(stat.mtimeMs, stat.ctimeMs) < previous.listedAtMs - racyMs;
    const patch = plan?.patches.get(folder.path);
    const entries =
      (patch && patchEntries(folder, folderPath, previous, stat, patch)) ||
      (reusable && (await reuseEntries(folder, folderPath, previous))) ||
      (await listEntries(folder));
    if (entries.reused) stats.foldersReused++;
    else stats.foldersListed++;
    folder.listedAtMs = entries.listedAtMs;
    folder.fileNamesJoined = entries.fileNamesJoined ?? entries.fileNames.join('/');
    folder.fileCategories = entries.fileCategories;
    const count = entries.fileCategories.length;
    const sizes = (folder.fileSizes = new Float64Array(count * 2));

    const prefix = folder.path === '' ? '' : `${folder.path}/`;
    // A patched folder: the previous figures, with only the re-read files' sizes replaced
    // (its own entry did not move: patchEntries checked).
    const changedAt = entries.changedAt;
    if (changedAt && previous) {
      folder.own.set(previous.own);
      folder.ownFilesBytes = previous.ownFilesBytes;
      sizes.set(previous.fileSizes);
    }
    for (let at = 0, end = changedAt ? changedAt.length : count; at < end; at++) {
      const index = changedAt ? changedAt[at]! : at;
      // Every file is lstat-ed here but a patched folder's unchanged ones, never looked at.
      const fileStat = entries.fileStats[index]!;
      if (fileStat.nlink > 1 && !fileStat.isDirectory()) {
        if (touched) throw new UpdateNeedsRescan();
        // Counted once the walk is over, at the link whose path sorts first (hard-links.ts).
        links.note(`${fileStat.dev}:${fileStat.ino}`, {
          folder,
          index,
          path: prefix + entries.fileNames[index]!,
          apparent: fileStat.size,
          allocated: fileStat.blocks * 512,
          mtimeMs: fileStat.mtimeMs,
          category: folder.fileCategories[index]!,
        });
        continue;
      }
      countFile(
        folder,
        index,
        fileStat,
        prefix,
        entries.fileNames[index]!,
        changedAt !== undefined,
      );
      if (at % ENTRIES_PER_LOOK === ENTRIES_PER_LOOK - 1 && budget.spent) await breathe();
    }

    // Everything above sees this folder's figures at once, so partial results add up.
    for (let node: FolderRecord | null = folder; node; node = node.parent) {
      for (let slot = 0; slot < folder.own.length; slot++) node.total[slot]! += folder.own[slot]!;
      if (node !== folder) node.folders++;
    }

    const previousChildren = previous ? new Map(previous.children.map((c) => [c.name, c])) : null;
    entries.childStats.forEach((childStat, index) => {
      const name = entries.childNames[index]!;
      const previousChild = previousChildren?.get(name);
      if (adopt(folder, previousChild, childStat)) return;
      const child = new FolderRecord(name, prefix + name, folder);
      folder.children.push(child);
      stack.push({ folder: child, previous: previousChild, stat: childStat });
    });
  }

  function categoryIndex(relative: string): number {
    return categories.indexOf(categorize(relative) ?? 'irreplaceable');
  }

  /**
   * Lists a folder and lstat-s every entry. Names that are not UTF-8 are read as their bytes
   * and paths over the system's limit through an open folder (fs/sys-fs.ts), so every file is
   * counted; only a folder that has such names, or such a long path, pays for it.
   */
  async function listEntries(folder: FolderRecord): Promise<FolderEntries> {
    const folderPath = absolute(folder.path);
    const listedAtMs = Date.now();
    let names: string[] = [];
    try {
      if (needsExactPath(folderPath)) {
        names = readFolderNames(folderPath);
        folder.exactNames = true;
      } else {
        names = fs.readdirSync(folderPath);
        // U+FFFD: a name Node could not decode (or, rarely, one that holds it): read exactly.
        if (names.some((name) => name.includes('\uFFFD'))) {
          names = readFolderNames(folderPath);
          folder.exactNames = true;
        }
      }
    } catch (error) {
      unreadable(folder.path || '.', error);
    }
    const fileNames: string[] = [];
    const fileStats: fs.Stats[] = [];
    const childNames: string[] = [];
    const childStats: fs.Stats[] = [];
    for (let at = 0; at < names.length; at++) {
      const name = names[at]!;
      if (at % ENTRIES_PER_LOOK === ENTRIES_PER_LOOK - 1 && budget.spent) await breathe();
      if (folder.path === '' && isTendEntry(name)) continue;
      const stat = lstat(folderPath, folder.path, name, folder.exactNames);
      if (!stat) continue;
      if (stat.isDirectory()) {
        childNames.push(name);
        childStats.push(stat);
      } else {
        fileNames.push(name);
        fileStats.push(stat);
      }
    }
    const categoryOf = folderCategorizer(folder.path);
    const fileCategories = new Uint8Array(fileNames.length);
    for (let index = 0; index < fileNames.length; index++) {
      fileCategories[index] = categoryOf(fileNames[index]!);
    }
    return {
      reused: false,
      listedAtMs,
      fileNames,
      fileCategories,
      fileStats,
      childNames,
      childStats,
    };
  }

  /**
   * The entries of a folder whose only changes are files written in place: the previous
   * scan's names and sizes, with just those files lstat-ed again. False when it is not that
   * simple (the folder's entry moved, a name is not one of its files), then it is listed.
   */
  function patchEntries(
    folder: FolderRecord,
    folderPath: string,
    previous: FolderRecord | undefined,
    stat: fs.Stats,
    names: ReadonlySet<string>,
  ): FolderEntries | false {
    if (
      !previous ||
      previous.ino !== stat.ino ||
      previous.mtimeMs !== stat.mtimeMs ||
      previous.ctimeMs !== stat.ctimeMs ||
      previous.fileSizes.length !== previous.fileCategories.length * 2
    ) {
      return false;
    }
    const count = previous.fileCategories.length;
    // Sparse: only the files written in place are lstat-ed (and named) again.
    const fileStats = new Array<fs.Stats | undefined>(count);
    const fileNames = new Array<string>(count);
    const changedAt: number[] = [];
    const exact = previous.exactNames || needsExactPath(folderPath);
    for (const name of names) {
      const index = nameIndex(previous.fileNamesJoined, name);
      if (index === -1) return false;
      stats.entriesChecked++;
      const fileStat = statEntry(`${folderPath}/${name}`, exact);
      if (!fileStat || fileStat.isDirectory()) return false;
      fileStats[index] = fileStat;
      fileNames[index] = name;
      changedAt.push(index);
    }
    const childNames: string[] = [];
    const childStats: fs.Stats[] = [];
    for (const child of previous.children) {
      stats.entriesChecked++;
      const childStat = statEntry(`${folderPath}/${child.name}`, exact);
      if (!childStat || !childStat.isDirectory()) return false;
      childNames.push(child.name);
      childStats.push(childStat);
    }
    folder.exactNames = previous.exactNames;
    patched.set(folder.path, names);
    return {
      reused: true,
      listedAtMs: previous.listedAtMs,
      fileNames,
      fileNamesJoined: previous.fileNamesJoined,
      fileCategories: previous.fileCategories,
      fileStats,
      changedAt,
      childNames,
      childStats,
    };
  }

  /**
   * The entries of an unchanged folder from the previous scan, each lstat-ed again; false when
   * one of them is not what it was (then the folder is listed after all).
   */
  async function reuseEntries(
    folder: FolderRecord,
    folderPath: string,
    previous: FolderRecord,
  ): Promise<FolderEntries | false> {
    const fileStats: fs.Stats[] = [];
    const fileNames = previous.fileNames();
    const exact = previous.exactNames || needsExactPath(folderPath);
    for (const name of fileNames) {
      if (++stats.entriesChecked % ENTRIES_PER_LOOK === 0 && budget.spent) await breathe();
      const stat = statEntry(`${folderPath}/${name}`, exact);
      if (!stat || stat.isDirectory()) return false;
      fileStats.push(stat);
    }
    const childNames: string[] = [];
    const childStats: fs.Stats[] = [];
    for (const child of previous.children) {
      stats.entriesChecked++;
      const stat = statEntry(`${folderPath}/${child.name}`, exact);
      if (!stat || !stat.isDirectory()) return false;
      childNames.push(child.name);
      childStats.push(stat);
    }
    folder.exactNames = previous.exactNames;
    return {
      reused: true,
      listedAtMs: previous.listedAtMs,
      fileNames,
      fileNamesJoined: previous.fileNamesJoined,
      fileCategories: previous.fileCategories,
      fileStats,
      childNames,
      childStats,
    };
  }

  function lstat(
    folderPath: string,
    folder: string,
    name: string,
    exact: boolean,
  ): fs.Stats | undefined {
    stats.entriesChecked++;
    try {
      const full = `${folderPath}/${name}`;
      return exact || full.length * 3 > DIRECT_PATH_BYTES
        ? lstatEntry(full)
        : fs.lstatSync(full, LSTAT);
    } catch (error) {
      // The relative path is built only here: most scans never need it.
      unreadable(folder ? `${folder}/${name}` : name, error);
      return undefined;
    }
  }
}

interface FolderEntries {
  reused: boolean;
  listedAtMs: number;
  fileNames: string[];
  /** The names already joined, when they come from the previous scan. */
  fileNamesJoined?: string;
  fileCategories: Uint8Array;
  /** Each file's lstat; a patched folder has them only at `changedAt`. */
  fileStats: Array<fs.Stats | undefined>;
  /**
   * A patched folder's re-read files (their indexes): only they change its figures, and the
   * others keep their places among the largest files from the previous scan.
   */
  changedAt?: number[];
  childNames: string[];
  childStats: fs.Stats[];
}

/** Adds to one slot of a figures array. */
function add(figures: Float64Array, slot: number, value: number): void {
  figures[slot] = figures[slot]! + value;
}

/** What an update looks at: the folders it visits, and those it only patches. */
interface UpdatePlan {
  /** Folders whose entries the watcher saw change (or named themselves): these are listed. */
  changed: ReadonlySet<string>;
  /** Changed folders, folders of changed files, and every folder above them ('' included). */
  touched: Set<string>;
  /** Folders whose only own changes are files written in place, with those files' names. */
  patches: Map<string, Set<string>>;
}

/** The update plan of the folders and files a watcher saw change. */
function updatePlan(
  changed: ReadonlySet<string>,
  changedFiles: ReadonlySet<string> = new Set(),
): UpdatePlan {
  const touched = new Set<string>(['']);
  const touch = (folder: string) => {
    for (let at = folder.indexOf('/'); at !== -1; at = folder.indexOf('/', at + 1)) {
      touched.add(folder.slice(0, at));
    }
    touched.add(folder);
  };
  changed.forEach(touch);
  const patches = new Map<string, Set<string>>();
  for (const file of changedFiles) {
    const slash = file.lastIndexOf('/');
    const folder = slash === -1 ? '' : file.slice(0, slash);
    touch(folder);
    if (changed.has(folder)) continue;
    let names = patches.get(folder);
    if (!names) patches.set(folder, (names = new Set()));
    names.add(file.slice(slash + 1));
  }
  return { changed, touched, patches };
}

/** Whether a folder's entry (inode, mtime, ctime) is what the previous scan saw. */
function sameEntry(previous: FolderRecord, stat: fs.Stats): boolean {
  return (
    previous.ino === stat.ino &&
    previous.mtimeMs === stat.mtimeMs &&
    previous.ctimeMs === stat.ctimeMs
  );
}
