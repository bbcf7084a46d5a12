import fs from 'node:fs';
import { categories } from '../../../src-shared/models/categories';
import type { ScanStats } from '../../../src-shared/models/usage';
import { LoopBudget } from '../fs/loop-budget';
import { categorizerFor, type CategoryRule } from '../root/category-rules';
import { needsExactPath } from './entry-stat';
import { FindUnusable, walkWithFind, type FoundEntry } from './find-walk';
import { categoryAt, folderCategorizerFor, type FileCategorizer } from './folder-categorizer';
import { HardLinks } from './hard-links';
import { LargestFiles } from './largest-files';
import type { UsageScan } from './scanner';
import { FolderRecord } from './usage-tree';

/** What a first scan with find needs of the scan's options (see `ScanOptions`). */
export interface FindScanOptions {
  rules: ReadonlyArray<CategoryRule>;
  signal?: AbortSignal;
  onProgress?: (partial: UsageScan) => void;
  progressEveryMs?: number;
  sliceMs?: number;
  largest?: number;
}

/** A folder whose entries find is still printing. */
interface OpenFolder {
  record: FolderRecord;
  prefix: string;
  names: string[];
  categories: number[];
  /** Apparent and allocated bytes of each file (0 for a link counted at `settle`). */
  sizes: number[];
  categoryOf: FileCategorizer;
}

/**
 * A first scan, with GNU find doing the walk and the lstat calls in its own process while
 * this one reads its output: the same tree, figures and largest files as the scan with
 * Node's calls (scanner.ts), which tests compare on the same trees.
 *
 * find prints a folder, then its entries depth first, so the folders open at any moment are
 * the path down to the current entry: a folder is complete, and its figures go up to every
 * folder above it, when find prints an entry at its depth or above.
 * Throws FindUnusable (find-walk.ts) when find cannot be used; nothing is then returned.
 */
export async function scanWithFind(rootPath: string, options: FindScanOptions): Promise<UsageScan> {
  const started = new Date();
  const startedMs = performance.now();
  const folderCategorizer = folderCategorizerFor(options.rules);
  const categorize = categorizerFor(options.rules);
  const largest = new LargestFiles(options.largest ?? 1000);
  const links = new HardLinks();
  const budget = new LoopBudget(options.sliceMs ?? 10);
  const progressEveryMs = options.progressEveryMs ?? 250;
  const stats: ScanStats = {
    mode: 'full',
    foldersListed: 0,
    foldersReused: 0,
    entriesChecked: 0,
    unreadable: 0,
    unreadableExamples: [],
  };
  const irreplaceable = categories.indexOf('irreplaceable');
  // Every folder is listed after this moment: the rescan's racy-timestamp rule holds.
  const listedAtMs = Date.now();

  const root = new FolderRecord('', '', null);
  const snapshot = (complete: boolean): UsageScan => ({
    rootPath,
    root,
    largest: largest.sorted(),
    largestCapacity: largest.capacity,
    stats: { ...stats },
    startedAt: started,
    durationMs: Math.round(performance.now() - startedMs),
    complete,
    hasLinks: links.size > 0,
  });

  const rootStat = fs.lstatSync(rootPath);
  const open: OpenFolder[] = [];
  openFolder(
    root,
    rootStat.ino,
    rootStat.mtimeMs,
    rootStat.ctimeMs,
    rootStat.size,
    rootStat.blocks,
  );
  let lastProgress = performance.now();
  let sinceLook = 0;

  await walkWithFind(rootPath, visit, options.signal);
  while (open.length > 0) close();
  links.settle(largest);
  return snapshot(true);

  function visit(entry: FoundEntry): Promise<void> | undefined {
    if (entry.depth < 1 || entry.depth > open.length) {
      throw new FindUnusable(`find printed an entry at depth ${entry.depth} below no folder`);
    }
    while (open.length > entry.depth) close();
    const parent = open[open.length - 1]!;
    stats.entriesChecked++;
    if (entry.rawName) parent.record.exactNames = true;
    if (entry.kind === 'd') {
      const folder = new FolderRecord(entry.name, parent.prefix + entry.name, parent.record);
      parent.record.children.push(folder);
      openFolder(folder, entry.ino, entry.mtimeMs, entry.ctimeMs, entry.size, entry.blocks);
    } else {
      countFile(parent, entry);
    }
    if (++sinceLook === 256) {
      sinceLook = 0;
      if (budget.spent) return breathe();
    }
    return undefined;
  }

  async function breathe(): Promise<void> {
    await budget.pause();
    options.signal?.throwIfAborted();
  }

  function openFolder(
    folder: FolderRecord,
    ino: number,
    mtimeMs: number,
    ctimeMs: number,
    size: number,
    blocks: number,
  ): void {
    folder.ino = ino;
    folder.mtimeMs = mtimeMs;
    folder.ctimeMs = ctimeMs;
    folder.listedAtMs = listedAtMs;
    const selfCategory =
      folder.path === ''
        ? irreplaceable
        : categories.indexOf(categorize(folder.path) ?? 'irreplaceable');
    folder.selfCategory = selfCategory;
    add(folder.own, selfCategory * 3, size);
    add(folder.own, selfCategory * 3 + 1, blocks * 512);
    const absolute = folder.path === '' ? rootPath : `${rootPath}/${folder.path}`;
    // As scanner.ts marks it: a path Node's calls cannot take as it is.
    if (needsExactPath(absolute)) folder.exactNames = true;
    open.push({
      record: folder,
      prefix: folder.path === '' ? '' : `${folder.path}/`,
      names: [],
      categories: [],
      sizes: [],
      categoryOf: folderCategorizer(folder.path),
    });
  }

  function countFile(parent: OpenFolder, entry: FoundEntry): void {
    const folder = parent.record;
    const index = parent.names.length;
    const category = parent.categoryOf(entry.name);
    parent.names.push(entry.name);
    parent.categories.push(category);
    const apparent = entry.size;
    const allocated = entry.blocks * 512;
    if (entry.kind === 'h') {
      // Counted once the walk is over, at the link whose path sorts first (hard-links.ts).
      links.note(entry.linkKey, {
        folder,
        index,
        path: parent.prefix + entry.name,
        apparent,
        allocated,
        mtimeMs: entry.mtimeMs,
        category,
      });
      parent.sizes.push(0, 0);
      return;
    }
    parent.sizes.push(apparent, allocated);
    add(folder.own, category * 3, apparent);
    add(folder.own, category * 3 + 1, allocated);
    add(folder.own, category * 3 + 2, 1);
    folder.ownFilesBytes += apparent;
    if (apparent > largest.threshold) {
      const path = parent.prefix + entry.name;
      const mtimeMs = entry.mtimeMs;
      largest.offer(apparent, () => ({
        path,
        apparentBytes: apparent,
        allocatedBytes: allocated,
        category: categoryAt(category),
        modifiedAt: new Date(mtimeMs).toISOString(),
      }));
    }
  }

  /** The deepest open folder is complete: its names kept, its figures sent up. */
  function close(): void {
    const done = open.pop()!;
    const folder = done.record;
    folder.fileNamesJoined = done.names.join('/');
    folder.fileCategories = Uint8Array.from(done.categories);
    folder.fileSizes = Float64Array.from(done.sizes);
    stats.foldersListed++;
    for (let node: FolderRecord | null = folder; node; node = node.parent) {
      for (let slot = 0; slot < folder.own.length; slot++) node.total[slot]! += folder.own[slot]!;
      if (node !== folder) node.folders++;
    }
    const now = performance.now();
    if (options.onProgress && now - lastProgress >= progressEveryMs) {
      lastProgress = now;
      options.onProgress(snapshot(false));
      options.signal?.throwIfAborted();
    }
  }
}

function add(figures: Float64Array, slot: number, value: number): void {
  figures[slot] = figures[slot]! + value;
}
