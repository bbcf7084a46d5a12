import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync, type BigIntStats, type Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assertNever, TendFailure } from '../../../src-shared/errors';
import {
  hasSqliteExtension,
  isSqliteFile,
  snapshotSqlite,
  sqliteCompanions,
} from '../backup/sqlite-snapshot';
import { BlobBatcher } from './blob-batcher';
import { BlobWriter } from './blob-writer';
import {
  companionsUnchangedSince,
  RACY_WINDOW_NS,
  racilyRead,
  unchangedSince,
} from './change-detection';
import { databaseImage, IMAGE_LIMIT } from './database-image';
import {
  imageChunks,
  planChunks,
  planImageChunks,
  readChunks,
  ReadBuffer,
  readWholeFile,
  SMALL_FILE_LIMIT,
} from './file-chunks';
import type { SealedBatch } from './file-seal-protocol';
import { storeSealedFile, type FileSealer, type SealingFile } from './file-sealer';
import { goFileMode, nodeTypeOfMode, type NodeType } from './go-file-mode';
import { dateToNanos } from './go-time';
import type { MasterIndex } from './master-index';
import type { Repository } from './repository';
import { cancelled, storageFailed } from './repository-errors';
import { withLock } from './repository-lock';
import type { ResticId } from './restic-id';
import { encodeSnapshot } from './snapshot-file';
import { listSnapshots, TreeReader, type SnapshotEntry } from './snapshot-reader';
import { compareNames, encodeTree, sameNode, type TreeNode } from './tree-node';
import { groupName, userName } from './user-names';

/** The tag on every snapshot Tend writes. */
export const TEND_TAG = 'tend';

/** What a backup covers and how it reports. */
export interface BackupOptions {
  /** The folder to back up; the snapshot's tree holds its contents, as `restic backup .` would. */
  readonly root: string;
  /**
   * Whether to include a root-relative path (forward slashes) of this type; a folder left out
   * is not entered. `.tend/` (Tend's own state) is never included.
   */
  readonly select?: (relativePath: string, type: NodeType) => boolean;
  /** The snapshot to compare with: an id, `latest` (the newest of the same root and host, the default) or null for none. */
  readonly parent?: ResticId | 'latest' | null;
  /** Tags besides `tend` (Tend adds `kind:<kind>`). */
  readonly tags?: ReadonlyArray<string>;
  /** Where SQLite snapshots are copied before they are read (same disk as the root is best). */
  readonly stagingDir?: string;
  /** Databases up to this many bytes are read as an in-memory image, larger ones through a staged copy (IMAGE_LIMIT). */
  readonly databaseImageLimit?: number;
  /** The snapshot's time (now by default). */
  readonly time?: Date;
  /** Totals from a scan done before, so progress can show a fraction. */
  readonly expected?: { readonly files: number; readonly bytes: number };
  readonly packSize?: number;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
  /** Program version for the snapshot (`tend 0.1.0`). */
  readonly programVersion?: string;
}

/** Progress of a running backup. */
export interface BackupProgress {
  readonly filesDone: number;
  readonly bytesDone: number;
  readonly filesTotal: number | null;
  readonly bytesTotal: number | null;
  /** Bytes written to the repository so far. */
  readonly bytesStored: number;
  readonly currentPath: string;
}

/** What a backup did. */
export interface BackupResult {
  readonly snapshotId: ResticId;
  readonly tree: ResticId;
  readonly parent: ResticId | null;
  readonly files: { readonly new: number; readonly changed: number; readonly unchanged: number };
  readonly folders: number;
  readonly symlinks: number;
  /** FIFOs, sockets and device nodes, recorded as nodes of their type. */
  readonly specials: number;
  /** Bytes of every file in the snapshot. */
  readonly bytesTotal: number;
  /** Bytes read from disk (unchanged files are not read). */
  readonly bytesRead: number;
  /** Plaintext bytes of the new blobs. */
  readonly bytesAddedPlain: number;
  /** Bytes written to the repository: packs, index and snapshot. */
  readonly bytesStored: number;
  readonly packsWritten: number;
  readonly skipped: ReadonlyArray<{ path: string; reason: string }>;
}

interface Counters {
  filesNew: number;
  filesChanged: number;
  filesUnchanged: number;
  folders: number;
  symlinks: number;
  specials: number;
  bytesTotal: number;
  bytesRead: number;
  filesDone: number;
  skipped: Array<{ path: string; reason: string }>;
}

function baseNode(name: string, type: NodeType, stat: BigIntStats): Omit<TreeNode, 'content'> {
  return {
    name,
    type,
    mode: goFileMode(Number(stat.mode)),
    mtime: stat.mtimeNs,
    atime: stat.atimeNs,
    ctime: stat.ctimeNs,
    uid: Number(stat.uid),
    gid: Number(stat.gid),
    user: userName(Number(stat.uid)),
    group: groupName(Number(stat.gid)),
    inode: stat.ino,
    deviceId: stat.dev,
  };
}

/**
 * Backs a folder up into a repository as one snapshot: walks it in name order, reads only
 * what changed since the parent snapshot, cuts files into blobs, stores new blobs in packs,
 * then the index, then the snapshot, each durable before the next refers to it. Holds a shared
 * repository lock throughout. Cancelling leaves finished packs (indexed) and no snapshot.
 */
export async function backupSnapshot(
  repository: Repository,
  options: BackupOptions,
): Promise<BackupResult> {
  const root = path.resolve(options.root);
  const rootStat = await fs.stat(root).catch(() => null);
  if (!rootStat?.isDirectory()) {
    throw new TendFailure('ROOT_NOT_FOUND', `${root} is not a folder that can be backed up.`);
  }
  // The snapshot's time is when it began, as restic's: what changed after it is in the next one.
  const started = options.time ?? new Date();
  return withLock(repository, { exclusive: false }, async () => {
    const snapshots = await listSnapshots(repository);
    const index = await repository.loadIndex();
    const parent = pickParent(snapshots, root, options.parent);
    const trees = new TreeReader(repository, index);
    const writer = new BlobWriter(repository, index, {
      packSize: options.packSize,
      signal: options.signal,
    });
    const counters: Counters = {
      filesNew: 0,
      filesChanged: 0,
      filesUnchanged: 0,
      folders: 0,
      symlinks: 0,
      specials: 0,
      bytesTotal: 0,
      bytesRead: 0,
      filesDone: 0,
      skipped: [],
    };
    const stagingDir = options.stagingDir ?? os.tmpdir();
    const walker = new Walker(
      root,
      options,
      index,
      trees,
      writer,
      counters,
      stagingDir,
      parent?.time ?? null,
    );
    let tree: ResticId;
    try {
      await walker.findEarlyCopy(parent?.tree ?? null);
      const top = await walker.folder(
        root,
        '',
        parent ? { id: parent.tree, nodes: await trees.read(parent.tree) } : null,
      );
      tree = typeof top === 'string' ? top : await top.later;
      await walker.finish();
      await walker.release();
      await writer.flush();
    } catch (error) {
      // What the walk left running ends, and packs already on their way finish (or fail),
      // before the lock is let go.
      await walker.release();
      await writer.drain().catch(() => {});
      throw error;
    }
    const snapshot = encodeSnapshot({
      time: dateToNanos(started),
      ...(parent ? { parent: parent.id } : {}),
      tree,
      paths: [root],
      hostname: os.hostname(),
      username: userName(process.getuid?.() ?? -1),
      ...(process.getuid?.() ? { uid: process.getuid() } : {}),
      ...(process.getgid?.() ? { gid: process.getgid() } : {}),
      tags: [TEND_TAG, ...(options.tags ?? [])],
      ...(options.programVersion ? { programVersion: options.programVersion } : {}),
    });
    if (options.signal?.aborted) throw cancelled();
    const snapshotId = await repository.saveUnpacked('snapshots', snapshot);
    return {
      snapshotId,
      tree,
      parent: parent?.id ?? null,
      files: {
        new: counters.filesNew,
        changed: counters.filesChanged,
        unchanged: counters.filesUnchanged,
      },
      folders: counters.folders,
      symlinks: counters.symlinks,
      specials: counters.specials,
      bytesTotal: counters.bytesTotal,
      bytesRead: counters.bytesRead,
      bytesAddedPlain: writer.totals.bytesAddedPlain,
      bytesStored: writer.totals.bytesStored + snapshot.length,
      packsWritten: writer.totals.packsWritten,
      skipped: counters.skipped,
    };
  });
}

/** The parent snapshot: the one asked for, or the newest of this root on this host. */
export function pickParent(
  snapshots: ReadonlyArray<SnapshotEntry>,
  root: string,
  wanted: BackupOptions['parent'],
): SnapshotEntry | null {
  if (wanted === null) return null;
  if (wanted && wanted !== 'latest') {
    return snapshots.find((snapshot) => snapshot.id === wanted) ?? null;
  }
  const host = os.hostname();
  return (
    snapshots.find(
      (snapshot) =>
        snapshot.paths.length === 1 &&
        snapshot.paths[0] === root &&
        (snapshot.hostname ?? '') === host,
    ) ?? null
  );
}

/** A file's node, built as one object (two spreads per file cost more than they read). */
function fileNode(
  name: string,
  stat: BigIntStats,
  size: number,
  content: ReadonlyArray<ResticId>,
): TreeNode {
  return {
    name,
    type: 'file',
    mode: goFileMode(Number(stat.mode)),
    mtime: stat.mtimeNs,
    atime: stat.atimeNs,
    ctime: stat.ctimeNs,
    uid: Number(stat.uid),
    gid: Number(stat.gid),
    user: userName(Number(stat.uid)),
    group: groupName(Number(stat.gid)),
    inode: stat.ino,
    deviceId: stat.dev,
    links: Number(stat.nlink),
    size,
    content,
  };
}

/**
 * Large files the main thread reads itself before the walk gives them to the sealer thread: a
 * thread costs about 50 ms of CPU to start, more than sealing a few MiB (the small demo's six
 * large files, 6.5 MB, were 1.07 times as slow through one).
 */
const SEALER_FROM_BYTES = 16 * 1024 * 1024;

/**
 * Bytes the sealer thread may have waiting before the walk reads the next large file itself,
 * so both cores work: the medium demo's database keeps the sealer busy for a second while the
 * walk reads the model files beside it, and a folder of large files alone (the medium demo's
 * 131 MB of models and indexes) took 0.85 of the time with the walk's share, 1.0 without.
 */
const SEALER_QUEUE_BYTES = 32 * 1024 * 1024;

/**
 * Entries findEarlyCopy looks at, at most, for a database before the walk: assistants keep
 * their stores near the top (the demo's after 24 entries, Open WebUI's and AnythingLLM's in
 * their folder's first level), and a look through the whole tree made an unchanged backup of
 * the medium demo a tenth slower.
 */
const EARLY_SCAN_ENTRIES = 512;

class Walker {
  private lastProgress = 0;
  /** One read buffer for every large file, read one after the other. */
  private readonly readBuffer = new ReadBuffer();
  /** Whether a database's early copy (startEarlyCopy) is made or being made and not yet removed. */
  private earlyCopyMade = false;
  /** The early copy, made or being made, until it is removed. */
  private readonly staged = new Set<Promise<StagedDatabase>>();
  /** The early copy findEarlyCopy started, until the walk comes to its database. */
  private found: {
    readonly full: string;
    readonly stat: BigIntStats;
    readonly copy: Promise<StagedDatabase>;
  } | null = null;
  /**
   * Databases findEarlyCopy left to the walk (not written since the parent, or small enough
   * for an image): not asked again for an early copy (a database's every block is looked up in
   * the index each time); one that turns out changed is copied when the walk reads it.
   */
  private readonly notEarly = new Set<string>();
  /** What the walk has not waited for yet (`later`). */
  private readonly unfinished = new Set<Promise<unknown>>();
  /** The thread that seals large files (once they come to SEALER_FROM_BYTES) and staged databases. */
  private sealer: FileSealer | null = null;
  /** Bytes of the large files the walk has met that were not unchanged. */
  private largeBytes = 0;
  /** Small files' new blobs, sealed in batches on the sealer thread once they are many. */
  private readonly small: BlobBatcher;

  constructor(
    private readonly root: string,
    private readonly options: BackupOptions,
    private readonly index: MasterIndex,
    private readonly trees: TreeReader,
    private readonly writer: BlobWriter,
    private readonly counters: Counters,
    private readonly stagingDir: string,
    /** When the parent snapshot began (ns), for the racy-read rule; null without a parent. */
    private readonly parentStart: bigint | null,
  ) {
    this.small = new BlobBatcher(
      writer,
      () => this.fileSealer(),
      (promise) => this.later(promise),
    );
  }

  /** Stores what the walk gathered and did not wait for (small files' batches). */
  async finish(): Promise<void> {
    await this.small.finish();
  }

  /** Reports progress at most every 100 ms (a tree of 20,000 new files is 20,000 calls). */
  private progress(currentPath: string): void {
    const now = Date.now();
    if (!this.options.onProgress || now - this.lastProgress < 100) return;
    this.lastProgress = now;
    this.options.onProgress({
      filesDone: this.counters.filesDone,
      bytesDone: this.counters.bytesTotal,
      filesTotal: this.options.expected?.files ?? null,
      bytesTotal: this.options.expected?.bytes ?? null,
      bytesStored: this.writer.totals.bytesStored,
      currentPath,
    });
  }

  /** Stores one folder's tree and returns its id; `previous` is the parent snapshot's tree of it. */
  async folder(
    absolute: string,
    relative: string,
    previous: { readonly id: ResticId; readonly nodes: ReadonlyArray<TreeNode> } | null,
  ): Promise<TreeId> {
    if (this.options.signal?.aborted) throw cancelled();
    let names: string[];
    try {
      // Metadata is read synchronously: each call takes microseconds from the page cache, while
      // the same call through the thread pool costs a round trip that, over the thousands of
      // entries of an unchanged tree, was most of an unchanged backup's time.
      names = readdirSync(absolute);
    } catch (error) {
      throw storageFailed(this.root, `read the folder ${relative || '.'}`, error);
    }
    names.sort(compareNames);
    const before = new Map((previous?.nodes ?? []).map((node) => [node.name, node]));
    // `absolute` is resolved and names from readdir have no separator: a plain join is exact,
    // without path.join's normalising, once or twice per entry.
    const inFolder = (name: string) => `${absolute}${path.sep}${name}`;
    const databases = new Set<string>();
    for (const name of names) {
      // The name first, without a promise per entry: most names are not databases.
      if (hasSqliteExtension(name) && (await isSqliteFile(inFolder(name)))) databases.add(name);
    }
    // Large files are cut, hashed and sealed by a worker thread (file-sealer.ts), and a
    // database too large for an in-memory image is copied first (sqlite-snapshot.ts); the
    // first such database's copy starts before the walk (findEarlyCopy) or when the walk comes
    // to it. The walk does not wait for either: their chunks are stored as they come while it
    // goes on through the rest of the tree, and only this folder's tree, and its parents',
    // wait for them (file-sealer.ts says what this saved).
    const slots: Array<TreeNode | null | Promise<TreeNode | null>> = [];
    const databasesLast: Array<() => Promise<void>> = [];
    const early: Array<{ slot: number; read: () => Promise<TreeNode | null> }> = [];
    try {
      for (const name of names) {
        const rel = relative ? `${relative}/${name}` : name;
        if (rel === '.tend') continue;
        if (
          sqliteCompanions.some(
            (suffix) => name.endsWith(suffix) && databases.has(name.slice(0, -suffix.length)),
          )
        ) {
          continue;
        }
        const full = inFolder(name);
        let stat: BigIntStats;
        try {
          stat = lstatSync(full, { bigint: true });
        } catch (error) {
          this.counters.skipped.push({
            path: rel,
            reason: `could not be read (${(error as NodeJS.ErrnoException).code})`,
          });
          continue;
        }
        const type = nodeTypeOfMode(Number(stat.mode));
        if (this.options.select && !this.options.select(rel, type)) continue;
        const old = before.get(name);
        if (type === 'file' && databases.has(name)) {
          const slot = slots.push(null) - 1;
          // One early copy at a time in the whole walk; other databases are copied as they are
          // read, so the staging disk holds at most two copies at once (the early one, and one
          // a subfolder's database is read through), however many databases the tree has.
          // The database the first look found (findEarlyCopy) keeps the stat taken before its
          // copy began: a change made since then shows in the next backup.
          const found = this.found?.full === full ? this.found : null;
          if (found) this.found = null;
          const copy =
            found?.copy ??
            (this.earlyCopyMade || this.notEarly.has(full)
              ? null
              : this.startEarlyCopy(full, rel, stat, old));
          if (copy) {
            const seen = found?.stat ?? stat;
            early.push({ slot, read: () => this.file(full, rel, name, seen, old, true, copy) });
            continue;
          }
          databasesLast.push(async () => {
            slots[slot] = await this.file(full, rel, name, stat, old, true);
          });
          continue;
        }
        if (
          type === 'file' &&
          Number(stat.size) > SMALL_FILE_LIMIT &&
          !databases.has(name) &&
          !this.reusable(full, stat, old, false) &&
          this.forSealer(Number(stat.size))
        ) {
          const sealed = this.fileSealer().seal(
            full,
            planChunks(Number(stat.size), null),
            previousContent(old),
            Number(stat.size),
          );
          slots.push(
            this.later(this.file(full, rel, name, stat, old, false, null, sealed.batches)),
          );
          continue;
        }
        const node = await this.entry(full, rel, name, type, stat, old, databases.has(name));
        if (node) slots.push('later' in node ? this.later(node.later) : node);
      }
      for (const readDatabase of databasesLast) await readDatabase();
    } catch (error) {
      // A copy not read (the walk stopped first) is removed once made.
      if (early.length > 0) await this.discardStaged();
      throw error;
    }
    for (const { slot, read } of early) {
      slots[slot] = this.later(
        read().finally(async () => {
          await this.discardStaged();
          this.earlyCopyMade = false;
        }),
      );
    }
    const waits = slots.some((slot) => slot instanceof Promise);
    const tree = async (): Promise<ResticId> => {
      // Promise.all only where something is awaited: a promise per entry of every folder made
      // an unchanged backup of the medium demo 8% slower.
      const settled = waits ? await Promise.all(slots) : (slots as Array<TreeNode | null>);
      const nodes = settled.filter((node): node is TreeNode => node !== null);
      // Nothing in the folder changed: the parent's tree stands, and its blob is still indexed.
      if (
        previous &&
        previous.nodes.length === nodes.length &&
        nodes.every((node, i) => sameNode(node, previous.nodes[i]!)) &&
        this.index.has('tree', previous.id)
      ) {
        return previous.id;
      }
      return this.small.save('tree', encodeTree(nodes));
    };
    return waits ? { later: this.later(tree()) } : tree();
  }

  /**
   * Looks for a database to copy early before the walk begins, so its copy is made and its
   * blocks sealed (on worker threads) while the walk reads the rest of the tree: breadth first,
   * in name order, through at most EARLY_SCAN_ENTRIES entries. The first that the walk would
   * copy is started.
   */
  async findEarlyCopy(parentTree: ResticId | null): Promise<void> {
    const select = this.options.select ?? (() => true);
    const queue = [{ absolute: this.root, relative: '' }];
    let seen = 0;
    for (let at = 0; at < queue.length && seen < EARLY_SCAN_ENTRIES; at++) {
      const { absolute, relative } = queue[at]!;
      let entries: Dirent[];
      try {
        entries = readdirSync(absolute, { withFileTypes: true });
      } catch {
        continue; // The walk reports it.
      }
      entries.sort((a, b) => compareNames(a.name, b.name));
      seen += entries.length;
      for (const entry of entries) {
        const rel = relative ? `${relative}/${entry.name}` : entry.name;
        const full = `${absolute}${path.sep}${entry.name}`;
        if (rel === '.tend') continue;
        if (entry.isDirectory()) {
          if (select(rel, 'dir')) queue.push({ absolute: full, relative: rel });
          continue;
        }
        if (!entry.isFile() || !hasSqliteExtension(entry.name) || !select(rel, 'file')) continue;
        const stat = lstatSync(full, { bigint: true, throwIfNoEntry: false });
        if (!stat?.isFile() || !(await isSqliteFile(full))) continue;
        // Without the parent's node (its trees are read by the walk): a database whose times
        // and companions are older than the parent is left to the walk, which compares it
        // with that node; one written since is copied now, the parent's content of it looked
        // up once the copy is made.
        const limit = this.options.databaseImageLimit ?? IMAGE_LIMIT;
        if (!this.writtenSinceParent(full, stat) || this.databaseBytes(full, stat) <= limit) {
          this.notEarly.add(full);
          continue;
        }
        const copy = this.stagedDatabase(full, rel, async () =>
          previousContent(await this.parentNode(parentTree, rel)),
        );
        this.found = { full, stat, copy: this.holdEarly(copy) };
        return;
      }
    }
  }

  /** The parent snapshot's node at a root-relative path, if it has one. */
  private async parentNode(tree: ResticId | null, rel: string): Promise<TreeNode | undefined> {
    const parts = rel.split('/');
    let nodes = tree ? await this.trees.read(tree) : null;
    for (let i = 0; nodes && i < parts.length; i++) {
      const node = nodes.find((candidate) => candidate.name === parts[i]);
      if (!node || i === parts.length - 1) return node;
      nodes = node.type === 'dir' && node.subtree ? await this.trees.read(node.subtree) : null;
    }
    return undefined;
  }

  /**
   * Stops and removes what the walk left: an early copy it did not come to read, or, after a
   * failure, a database still being stored (and the trees above it, which wait for it).
   */
  async release(): Promise<void> {
    await Promise.all([this.discardStaged(), this.sealer?.stop()]);
    this.sealer = null;
    await Promise.allSettled(this.unfinished);
  }

  /** A promise the walk does not wait for at once: tracked for `release`, never unhandled. */
  private later<T>(promise: Promise<T>): Promise<T> {
    this.unfinished.add(promise);
    promise.then(
      () => this.unfinished.delete(promise),
      () => this.unfinished.delete(promise),
    );
    return promise;
  }

  /**
   * Whether a large file the walk would read goes to the sealer thread instead: once the large
   * files met come to SEALER_FROM_BYTES, while the sealer has less than SEALER_QUEUE_BYTES waiting.
   */
  private forSealer(size: number): boolean {
    this.largeBytes += size;
    return (
      this.largeBytes > SEALER_FROM_BYTES && (this.sealer?.queuedBytes ?? 0) < SEALER_QUEUE_BYTES
    );
  }

  /** The thread that seals large files and staged databases, started the first time. */
  private fileSealer(): FileSealer {
    return (this.sealer ??= this.writer.newSealer());
  }

  /** Removes the early copy (again, harmlessly, if it was read). */
  private async discardStaged(): Promise<void> {
    for (const copy of this.staged) await copy.then(discard, () => {});
    this.staged.clear();
  }

  private async entry(
    full: string,
    rel: string,
    name: string,
    type: NodeType,
    stat: BigIntStats,
    old: TreeNode | undefined,
    database: boolean,
  ): Promise<TreeNode | { readonly later: Promise<TreeNode> } | null> {
    switch (type) {
      case 'dir': {
        const previous =
          old?.type === 'dir' && old.subtree
            ? { id: old.subtree, nodes: await this.trees.read(old.subtree) }
            : null;
        const subtree = await this.folder(full, rel, previous);
        this.counters.folders += 1;
        const node = (id: ResticId): TreeNode => ({
          ...baseNode(name, type, stat),
          content: null,
          subtree: id,
        });
        return typeof subtree === 'string' ? node(subtree) : { later: subtree.later.then(node) };
      }
      case 'symlink': {
        this.counters.symlinks += 1;
        const linktarget = readlinkSync(full);
        return {
          ...baseNode(name, type, stat),
          links: Number(stat.nlink),
          linktarget,
          content: null,
        };
      }
      case 'file':
        return this.file(full, rel, name, stat, old, database);
      case 'fifo':
      case 'socket':
      case 'dev':
      case 'chardev':
        // Recorded as restic records them (node.go, NodeFromFileInfo): the node, its mode,
        // owner and times, and a device's number; there is no content to read.
        this.counters.specials += 1;
        return {
          ...baseNode(name, type, stat),
          links: Number(stat.nlink),
          ...(type === 'dev' || type === 'chardev' ? { device: stat.rdev } : {}),
          content: null,
        };
      default:
        return assertNever(type);
    }
  }

  /**
   * The staged copy of a database that will be read through one (it changed, and with its WAL
   * it is larger than the image limit), started now; null for one that will not.
   */
  private startEarlyCopy(
    full: string,
    rel: string,
    stat: BigIntStats,
    old: TreeNode | undefined,
  ): Promise<StagedDatabase> | null {
    if (this.reusable(full, stat, old, true)) return null;
    const limit = this.options.databaseImageLimit ?? IMAGE_LIMIT;
    if (this.databaseBytes(full, stat) <= limit) return null;
    return this.holdEarly(this.stagedDatabase(full, rel, async () => previousContent(old)));
  }

  /** The early copy, kept until it is read or removed. */
  private holdEarly(copy: Promise<StagedDatabase>): Promise<StagedDatabase> {
    this.earlyCopyMade = true;
    this.staged.add(copy);
    // Settled later (read or removed); not an unhandled rejection meanwhile.
    copy.catch(() => {});
    return copy;
  }

  /**
   * Whether a database was written since its parent snapshot began, by its times and its
   * companions' (companionsUnchangedSince), or there is no parent.
   */
  private writtenSinceParent(full: string, stat: BigIntStats): boolean {
    if (this.parentStart === null) return true;
    const settled = this.parentStart - RACY_WINDOW_NS;
    if (stat.mtimeNs >= settled || stat.ctimeNs >= settled) return true;
    return !this.companionsSettled(full, this.parentStart);
  }

  /**
   * A database's staged copy, its blocks given to the sealer thread as soon as it is made
   * (file-sealer.ts); the parent's content of it (`previous`) is only hashed there.
   */
  private async stagedDatabase(
    full: string,
    rel: string,
    previous: () => Promise<ReadonlyArray<ResticId>>,
  ): Promise<StagedDatabase> {
    const copy = await this.stagedCopy(full, rel);
    try {
      const bytes = lstatSync(copy).size;
      return { copy, sealed: this.fileSealer().seal(copy, 'database', await previous(), bytes) };
    } catch (error) {
      await fs.rm(copy, { force: true });
      throw error;
    }
  }

  /** A database copied with SQLite's online backup API into the staging folder; returns the copy. */
  private async stagedCopy(full: string, rel: string): Promise<string> {
    const copy = path.join(this.stagingDir, `tend-repository-${randomBytes(6).toString('hex')}.db`);
    try {
      await snapshotSqlite(full, copy, this.options.signal);
      return copy;
    } catch (error) {
      await fs.rm(copy, { force: true });
      if (this.options.signal?.aborted) throw cancelled();
      throw new TendFailure(
        'FILE_UNREADABLE',
        `The database ${rel} could not be copied for the backup (${(error as Error).message}).`,
        { path: rel },
      );
    }
  }

  /** A database's bytes with its WAL, to decide between an in-memory image and a staged copy. */
  private databaseBytes(full: string, stat: BigIntStats): number {
    const wal = lstatSync(`${full}-wal`, { bigint: true, throwIfNoEntry: false });
    return Number(stat.size) + Number(wal?.size ?? 0n);
  }

  /**
   * Whether the parent's content can stand for the file unread. A database counts too, though
   * what is chunked is a snapshot copy: when its main file has the same size, times and inode,
   * it has no journal, and its WAL is empty or untouched since before the parent began, the
   * copy would hold the same pages (companionsUnchangedSince).
   */
  private reusable(
    full: string,
    stat: BigIntStats,
    old: TreeNode | undefined,
    database: boolean,
  ): boolean {
    if (!old || !unchangedSince(stat, old, this.index)) return false;
    if (this.parentStart === null || racilyRead(old, this.parentStart)) return false;
    return !database || this.companionsSettled(full, this.parentStart);
  }

  /** Whether a database's `-wal` and `-journal` leave the parent's copy standing (companionsUnchangedSince). */
  private companionsSettled(full: string, parentStart: bigint): boolean {
    const [wal, journal] = ['-wal', '-journal'].map(
      (suffix) => lstatSync(`${full}${suffix}`, { bigint: true, throwIfNoEntry: false }) ?? null,
    );
    return companionsUnchangedSince(wal!, journal!, parentStart);
  }

  private async file(
    full: string,
    rel: string,
    name: string,
    stat: BigIntStats,
    old: TreeNode | undefined,
    database: boolean,
    /** The database's copy, when startEarlyCopy started one. */
    staged: Promise<StagedDatabase> | null = null,
    /** A large file's chunks from the file sealer, when the walk gave it the file. */
    sealed: AsyncIterable<SealedBatch> | null = null,
  ): Promise<TreeNode | null> {
    if (this.reusable(full, stat, old, database)) {
      this.counters.filesUnchanged += 1;
      this.counters.filesDone += 1;
      this.counters.bytesTotal += Number(stat.size);
      this.progress(rel);
      return fileNode(name, stat, Number(stat.size), old!.content!);
    }
    let copy: StagedDatabase | null = null;
    const image =
      database && !staged
        ? databaseImage(full, this.databaseBytes(full, stat), this.options.databaseImageLimit)
        : null;
    if (database && !image) {
      copy = await (staged ?? this.stagedDatabase(full, rel, async () => previousContent(old)));
    }
    try {
      let content: ResticId[] = [];
      let size = 0;
      try {
        const batches = copy?.sealed.batches ?? sealed;
        if (batches) {
          const source = copy?.copy ?? full;
          ({ content, size } = await storeSealedFile(this.writer, batches, source, (length) => {
            this.counters.bytesRead += length;
          }));
        } else {
          for await (const chunk of this.chunksOf(full, Number(stat.size), image)) {
            if (chunk.length === 0) continue;
            // A small blob (a small file, or a large file's last chunk) goes into a batch.
            const small = !image && chunk.length <= SMALL_FILE_LIMIT;
            content.push(
              small
                ? await this.small.save('data', chunk)
                : (await this.writer.save('data', chunk)).id,
            );
            size += chunk.length;
            this.counters.bytesRead += chunk.length;
          }
        }
      } catch (error) {
        if (this.options.signal?.aborted) throw cancelled();
        if (error instanceof TendFailure) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') {
          this.counters.skipped.push({ path: rel, reason: `could not be read (${code})` });
          return null;
        }
        throw error;
      }
      if (old) this.counters.filesChanged += 1;
      else this.counters.filesNew += 1;
      this.counters.filesDone += 1;
      this.counters.bytesTotal += size;
      this.progress(rel);
      return fileNode(name, stat, size, content);
    } finally {
      if (copy) await discard(copy);
    }
  }

  /** A file's chunks as it is read, or a database image's blocks. */
  private chunksOf(
    full: string,
    size: number,
    image: Buffer | null,
  ): Iterable<Buffer> | AsyncIterable<Buffer> {
    if (image) return imageChunks(image, planImageChunks(image));
    const plan = planChunks(size, null);
    // Small files are read in one synchronous call: a few microseconds from the page cache,
    // where four round trips through the thread pool (open, stat, read, close) cost more than
    // the reading over a tree of many small files.
    if (plan.kind === 'whole') return [readWholeFile(full, size, this.readBuffer)];
    return readChunks(full, plan, this.options.signal, this.readBuffer);
  }
}

/** A folder's tree id, or its promise while a database in or below the folder is being stored. */
type TreeId = ResticId | { readonly later: Promise<ResticId> };

/** A database's staged copy and its blocks from the sealer thread. */
interface StagedDatabase {
  readonly copy: string;
  readonly sealed: SealingFile;
}

/** The parent snapshot's content of a file: chunks the sealer only hashes. */
function previousContent(old: TreeNode | undefined): ReadonlyArray<ResticId> {
  return old?.type === 'file' ? (old.content ?? []) : [];
}

/** Calls off a staged database's blocks (the sealer goes on to its next file), then removes its copy. */
async function discard(staged: StagedDatabase): Promise<void> {
  staged.sealed.cancel();
  await fs.rm(staged.copy, { force: true });
}
