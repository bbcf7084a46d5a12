import fs, { closeSync, fchmodSync, futimesSync, openSync } from 'node:fs';
import { syncDescriptorSync, syncFileSync } from '../fs/durable';
import { posixPermissions } from './go-file-mode';
import type { TreeNode } from './tree-node';

/** The most bytes, and blobs, gathered into one write. */
const RUN_BYTES = 4 * 1024 * 1024;
const RUN_CHUNKS = 512;

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
 */
export class RestoreFileWriter {
  private readonly open = new Map<number, number>();
  /** Blobs waiting to be written: one file's, back to back from `runOffset`. */
  private run: { file: number; offset: number; end: number; chunks: Uint8Array[] } | null = null;
  private readonly created = new Set<number>();
  private readonly synced = new Set<number>();
  private readonly remaining: number[];

  constructor(
    private readonly files: ReadonlyArray<{ readonly path: string; readonly node: TreeNode }>,
    private readonly limit = 64,
    /**
     * fsync each file as it is finished: where no one filesystem sync will follow (syncBatch
     * does one on Linux only).
     */
    private readonly syncAsWritten = process.platform !== 'linux',
  ) {
    this.remaining = files.map((file) => file.node.content?.length ?? 0);
  }

  /** Writes one blob's bytes into a file at an offset (at once, or with the blobs around it). */
  write(file: number, data: Uint8Array, offset: number): void {
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
    this.run.chunks.push(data);
    this.run.end += data.length;
    this.remaining[file]! -= 1;
    if (this.remaining[file] === 0) {
      this.flush();
      this.finish(file, this.descriptor(file));
    }
  }

  /** Writes the gathered run of blobs, if any. */
  private flush(): void {
    const run = this.run;
    if (!run) return;
    this.run = null;
    const fd = this.descriptor(run.file);
    let position = run.offset;
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
      if (!this.created.has(file)) this.finish(file, this.descriptor(file));
    });
  }

  /** fsyncs every file made, one by one (syncBatch's fallback where one filesystem sync fails). */
  syncEach(): void {
    for (const file of this.created) {
      if (!this.synced.has(file)) syncFileSync(this.files[file]!.path);
    }
  }

  /** Closes whatever is still open (after a failure, what was not written yet is dropped). */
  closeAll(): void {
    this.run = null;
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }

  private descriptor(file: number): number {
    const existing = this.open.get(file);
    if (existing !== undefined) return existing;
    if (this.open.size >= this.limit) {
      const [oldest, fd] = this.open.entries().next().value!;
      this.open.delete(oldest);
      closeSync(fd);
    }
    // 'wx' the first time: a restore never writes through a file that was already there.
    const fd = openSync(this.files[file]!.path, this.created.has(file) ? 'r+' : 'wx', 0o600);
    this.created.add(file);
    this.open.set(file, fd);
    return fd;
  }

  private finish(file: number, fd: number): void {
    const { node } = this.files[file]!;
    const mode = posixPermissions(node.mode) || 0o644;
    // A file its owner may not read could not be opened again by syncEach: fsync it now.
    if (this.syncAsWritten || (mode & 0o400) === 0) {
      syncDescriptorSync(fd);
      this.synced.add(file);
    }
    fchmodSync(fd, mode);
    futimesSync(fd, Number(node.atime) / 1e9, Number(node.mtime) / 1e9);
    closeSync(fd);
    this.open.delete(file);
  }
}
