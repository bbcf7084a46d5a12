import fs, { closeSync, fchmodSync, futimesSync, openSync } from 'node:fs';
import { syncDescriptorSync, syncFileSync } from '../fs/durable';
import type { FileEnding } from '../fs/file-writer-protocol';
import type { FileWriters } from '../fs/file-writers';
import { posixPermissions } from './go-file-mode';
import type { TreeNode } from './tree-node';

/** The most bytes, and blobs, gathered into one write. */
const RUN_BYTES = 4 * 1024 * 1024;
const RUN_CHUNKS = 512;
/**
 * Files of at most one blob below this size go to the writer threads whole, when there are
 * some: created, written and closed there. The others are created on this thread and handed to
 * the writers by their descriptors (see the class comment).
 */
const THREADED_MAX_FILE_BYTES = 1024 * 1024;

/**
 * Writes restored files as their blobs arrive, pack by pack and so in no file's order: each
 * file is created at its first blob, takes each blob at its offset, and is given its mode and
 * times and closed when its last blob is in (as `tar x` does: open, write, fchmod, futimes,
 * close). Synchronous calls: from the page cache each takes microseconds, where a round trip
 * through the thread pool per call made restoring many small files several times slower than
 * `tar xzf`. At most `limit` files are open at once; one closed early is opened again.
 * Blobs that follow each other in one file (the usual order in a pack) are gathered and
 * written with one writev, up to `RUN_BYTES`: one call per run, not per 4 KiB page of a
 * database.
 *
 * On Linux no file is fsynced here: the restore makes the whole target durable at once at its
 * end (fs/durable.ts, syncBatch, with `syncEach` as the one-by-one fallback), where an fsync per
 * file took longer than everything else a restore does. Elsewhere each file is fsynced before
 * it is closed, as is a file its owner may not read (syncEach could not open it again).
 *
 * With writer threads (fs/file-writers.ts), each small file of one blob (most of a tree of many
 * files) is created, written, given its mode and times and closed there, with the same calls,
 * while this thread reads, decrypts and hashes the next blobs: creating a file is a blocking
 * call of tens to hundreds of microseconds in the kernel, most of a restore of 20,000 files.
 * The other files are created here (so a file that was there already stops the restore at
 * once) and handed to the writers by their descriptors: their runs are copied into the writers'
 * batches, and a writer writes them, finishes and closes the file. Copying costs a fraction of
 * writing into the page cache, which was a quarter of this thread's time on the medium demo's
 * 129 MiB database while the writers waited.
 */
export class RestoreFileWriter {
  private readonly open = new Map<number, number>();
  /** Blobs waiting to be written: one file's, back to back from `runOffset`. */
  private run: { file: number; offset: number; end: number; chunks: Uint8Array[] } | null = null;
  private readonly created = new Set<number>();
  private readonly synced = new Set<number>();
  private readonly remaining: number[];
  /** Which files the writer threads write (at most one blob, small). */
  private readonly threaded: boolean[];

  constructor(
    private readonly files: ReadonlyArray<{ readonly path: string; readonly node: TreeNode }>,
    private readonly limit = 64,
    /**
     * fsync each file as it is finished: where no one filesystem sync will follow (syncBatch
     * does one on Linux only).
     */
    private readonly syncAsWritten = process.platform !== 'linux',
    /** Writer threads for the small files; null writes every file on this thread. */
    private readonly threads: FileWriters | null = null,
  ) {
    this.remaining = files.map((file) => file.node.content?.length ?? 0);
    this.threaded = files.map(
      ({ node }) =>
        threads !== null &&
        (node.content?.length ?? 0) <= 1 &&
        (node.size ?? 0) < THREADED_MAX_FILE_BYTES,
    );
  }

  /** Whether the writer threads have too many bytes waiting (`room` then waits). */
  get full(): boolean {
    return this.threads?.full ?? false;
  }

  /** Waits while the writer threads have too many bytes waiting; throws their failure. */
  async room(): Promise<void> {
    await this.threads?.room();
  }

  /** Waits until the writer threads have written and closed every file sent; throws their failure. */
  async settle(): Promise<void> {
    await this.threads?.finish();
  }

  /** Writes one blob's bytes into a file at an offset (at once, or with the blobs around it). */
  write(file: number, data: Uint8Array, offset: number): void {
    if (this.threaded[file]) {
      this.sendWhole(file, data);
      return;
    }
    const run = this.run;
    if (
      run &&
      (run.file !== file ||
        run.end !== offset ||
        run.end - run.offset + data.length > RUN_BYTES ||
        run.chunks.length >= RUN_CHUNKS)
    ) {
      this.flush();
    }
    if (!this.run) this.run = { file, offset, end: offset, chunks: [] };
    const last = this.run.chunks.at(-1);
    if (last && last.buffer === data.buffer && last.byteOffset + last.length === data.byteOffset) {
      // Decoded back to back into one buffer (snapshot-restore.ts): one chunk, one write.
      this.run.chunks[this.run.chunks.length - 1] = new Uint8Array(
        last.buffer,
        last.byteOffset,
        last.length + data.length,
      );
    } else {
      this.run.chunks.push(data);
    }
    this.run.end += data.length;
    this.remaining[file]! -= 1;
    if (this.remaining[file] === 0) {
      this.flush();
      this.finish(file, this.descriptor(file));
    }
  }

  /** Writes the gathered run of blobs, if any: then no blob handed to `write` is held here. */
  flush(): void {
    const run = this.run;
    if (!run) return;
    this.run = null;
    const fd = this.descriptor(run.file);
    let position = run.offset;
    if (this.threads) {
      const named = this.files[run.file]!.path;
      for (const chunk of run.chunks) {
        this.threads.writeAt(run.file, fd, named, position, chunk);
        position += chunk.length;
      }
      return;
    }
    // One blob (a small file whole): one plain write, spared writev's list of buffers.
    if (run.chunks.length === 1) {
      const [chunk] = run.chunks as [Uint8Array];
      let done = 0;
      while (done < chunk.length) {
        const written = fs.writeSync(fd, chunk, done, chunk.length - done, position + done);
        if (written === 0) throw new Error(`no byte written to ${this.files[run.file]!.path}`);
        done += written;
      }
      return;
    }
    let chunks = run.chunks.filter((chunk) => chunk.length > 0);
    while (chunks.length > 0) {
      let written = fs.writevSync(fd, chunks, position);
      if (written === 0) throw new Error(`no byte written to ${this.files[run.file]!.path}`);
      position += written;
      // A short write (rare; a full disk says so with an error): go on from where it stopped.
      while (chunks.length > 0 && written >= chunks[0]!.length) written -= chunks.shift()!.length;
      if (written > 0) chunks = [chunks[0]!.subarray(written), ...chunks.slice(1)];
    }
  }

  /** Creates the files no blob went to (empty files) and finishes them. */
  finishEmpty(): void {
    this.flush();
    this.files.forEach((_, file) => {
      if (this.created.has(file)) return;
      if (this.threaded[file]) this.sendWhole(file, new Uint8Array(0));
      else this.finish(file, this.descriptor(file));
    });
  }

  /** A small file whole to a writer thread: created, written, finished as `finish` does. */
  private sendWhole(file: number, data: Uint8Array): void {
    const threads = this.threads!;
    threads.open(this.files[file]!.path, 0o600);
    if (data.length > 0) threads.write(Buffer.from(data.buffer, data.byteOffset, data.length));
    const { mtimeSeconds, ending } = this.threadEnding(file);
    threads.close(mtimeSeconds, undefined, ending);
    this.created.add(file);
  }

  /**
   * How a writer thread finishes a file as `finish` does here: its mode, both times, and an
   * fsync where no one sync of the whole target follows (the file is then counted as synced).
   */
  private threadEnding(file: number): { mtimeSeconds: number; ending: FileEnding } {
    const { node } = this.files[file]!;
    const mode = this.modeOf(node);
    const sync = this.mustSyncAsWritten(mode);
    if (sync) this.synced.add(file);
    return {
      mtimeSeconds: Number(node.mtime) / 1e9,
      ending: { mode, atimeSeconds: Number(node.atime) / 1e9, sync },
    };
  }

  /** fsyncs every file made, one by one (syncBatch's fallback where one filesystem sync fails). */
  syncEach(): void {
    for (const file of this.created) {
      if (!this.synced.has(file)) syncFileSync(this.files[file]!.path);
    }
  }

  /**
   * Closes whatever is still open (after a failure, what was not written yet is dropped). A file
   * handed to the writers is closed by its writer, after the writes sent before: closed here,
   * its number could be given to another file while a write to it still waits.
   */
  closeAll(): void {
    this.run = null;
    for (const [file, fd] of this.open) this.release(file, fd);
    this.open.clear();
  }

  /** Closes an open file without finishing it: here, or by its writer when it was handed over. */
  private release(file: number, fd: number): void {
    if (this.threads) this.threads.endAt(file, fd, this.files[file]!.path, null);
    else closeSync(fd);
  }

  private descriptor(file: number): number {
    const existing = this.open.get(file);
    if (existing !== undefined) return existing;
    if (this.open.size >= this.limit) {
      const [oldest, fd] = this.open.entries().next().value!;
      this.open.delete(oldest);
      this.release(oldest, fd);
    }
    // 'wx' the first time: a restore never writes through a file that was already there.
    const fd = openSync(this.files[file]!.path, this.created.has(file) ? 'r+' : 'wx', 0o600);
    this.created.add(file);
    this.open.set(file, fd);
    return fd;
  }

  private modeOf(node: TreeNode): number {
    return posixPermissions(node.mode) || 0o644;
  }

  /** A file its owner may not read could not be opened again by syncEach: fsync it now. */
  private mustSyncAsWritten(mode: number): boolean {
    return this.syncAsWritten || (mode & 0o400) === 0;
  }

  private finish(file: number, fd: number): void {
    const { path, node } = this.files[file]!;
    if (this.threads) {
      this.threads.endAt(file, fd, path, this.threadEnding(file));
      this.open.delete(file);
      return;
    }
    const mode = this.modeOf(node);
    if (this.mustSyncAsWritten(mode)) {
      syncDescriptorSync(fd);
      this.synced.add(file);
    }
    fchmodSync(fd, mode);
    futimesSync(fd, Number(node.atime) / 1e9, Number(node.mtime) / 1e9);
    closeSync(fd);
    this.open.delete(file);
  }
}
