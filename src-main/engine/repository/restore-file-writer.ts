import { closeSync, fchmodSync, futimesSync, openSync, writeSync } from 'node:fs';
import { syncFileSync } from '../fs/durable';
import { posixPermissions } from './go-file-mode';
import type { TreeNode } from './tree-node';

/**
 * Writes restored files as their blobs arrive, pack by pack and so in no file's order: each
 * file is created at its first blob, takes each blob at its offset, and is given its mode and
 * times and closed when its last blob is in (as `tar x` does: open, write, fchmod, futimes,
 * close). Synchronous calls: from the page cache each takes microseconds, where a round trip
 * through the thread pool per call made restoring many small files several times slower than
 * `tar xzf`. At most `limit` files are open at once; one closed early is opened again.
 *
 * No file is fsynced here: the restore makes the whole target durable at once at its end
 * (fs/durable.ts, syncBatch, with `syncEach` as the one-by-one fallback), where an fsync per
 * file took longer than everything else a restore does.
 */
export class RestoreFileWriter {
  private readonly open = new Map<number, number>();
  private readonly created = new Set<number>();
  private readonly remaining: number[];

  constructor(
    private readonly files: ReadonlyArray<{ readonly path: string; readonly node: TreeNode }>,
    private readonly limit = 64,
  ) {
    this.remaining = files.map((file) => file.node.content?.length ?? 0);
  }

  /** Writes one blob's bytes into a file at an offset. */
  write(file: number, data: Uint8Array, offset: number): void {
    const fd = this.descriptor(file);
    let done = 0;
    while (done < data.length) {
      done += writeSync(fd, data, done, data.length - done, offset + done);
    }
    this.remaining[file]! -= 1;
    if (this.remaining[file] === 0) this.finish(file, fd);
  }

  /** Creates the files no blob went to (empty files) and finishes them. */
  finishEmpty(): void {
    this.files.forEach((_, file) => {
      if (!this.created.has(file)) this.finish(file, this.descriptor(file));
    });
  }

  /** fsyncs every file made, one by one (syncBatch's fallback where one filesystem sync fails). */
  syncEach(): void {
    for (const file of this.created) syncFileSync(this.files[file]!.path);
  }

  /** Closes whatever is still open (after a failure). */
  closeAll(): void {
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
    fchmodSync(fd, posixPermissions(node.mode) || 0o644);
    futimesSync(fd, Number(node.atime) / 1e9, Number(node.mtime) / 1e9);
    closeSync(fd);
    this.open.delete(file);
  }
}
