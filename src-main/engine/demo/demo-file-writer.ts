import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PlannedFile } from './demo-files';
import type { DemoProgressTracker } from './demo-progress';
import { createByteStream } from './random';

/** Size of one write of a streamed file: big enough to be fast, far from a memory problem. */
const STREAM_CHUNK_BYTES = 4 * 1024 * 1024;

/** Seconds since the epoch, whole: file systems differ below a second, demos must not. */
function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Sets a file's (or folder's) modification and access time, to the second. */
export function setMtime(absolutePath: string, mtime: Date): void {
  const seconds = unixSeconds(mtime);
  fs.utimesSync(absolutePath, seconds, seconds);
}

async function writeAll(handle: fs.promises.FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.byteLength) {
    const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Writes planned files under a root, reporting progress and fixing every mtime. */
export class DemoFileWriter {
  private readonly madeDirs = new Set<string>();

  constructor(
    readonly root: string,
    private readonly progress: DemoProgressTracker,
  ) {}

  /** The absolute path of a root-relative one. */
  absolute(relativePath: string): string {
    return path.join(this.root, ...relativePath.split('/'));
  }

  /** Creates a root-relative folder and its parents, once. */
  ensureDir(relativeDir: string): void {
    if (this.madeDirs.has(relativeDir)) return;
    fs.mkdirSync(this.absolute(relativeDir), { recursive: true });
    this.madeDirs.add(relativeDir);
  }

  /** Writes one planned file and returns its final root-relative path. */
  async write(file: PlannedFile): Promise<string> {
    this.progress.throwIfAborted();
    this.progress.begin(file.path);
    this.ensureDir(path.posix.dirname(file.path));
    const target = this.absolute(file.path);
    let finalPath = file.path;
    const { content } = file;
    if (content.kind === 'random') {
      finalPath = await this.writeStream(
        file,
        target,
        content.stream,
        content.header,
        content.nameBySha256 ?? false,
      );
    } else {
      const data = content.kind === 'bytes' ? content.data : content.render();
      if (data.byteLength !== file.bytes) {
        throw new Error(
          `Demo plan error: ${file.path} rendered ${data.byteLength} bytes, planned ${file.bytes}.`,
        );
      }
      // Through one descriptor: a path-based write and utimes cost five times as much on
      // some file systems, and the medium demo writes twenty thousand files.
      const fd = fs.openSync(target, 'w');
      try {
        let offset = 0;
        while (offset < data.byteLength) offset += fs.writeSync(fd, data, offset);
        const seconds = unixSeconds(file.mtime);
        fs.futimesSync(fd, seconds, seconds);
      } finally {
        fs.closeSync(fd);
      }
      this.progress.addBytes(data.byteLength);
    }
    if (content.kind === 'random') setMtime(this.absolute(finalPath), file.mtime);
    this.progress.fileDone();
    await this.progress.tick();
    return finalPath;
  }

  private async writeStream(
    file: PlannedFile,
    target: string,
    stream: string,
    header: Uint8Array | undefined,
    nameBySha256: boolean,
  ): Promise<string> {
    const hash = nameBySha256 ? crypto.createHash('sha256') : null;
    const next = createByteStream(stream);
    const handle = await fs.promises.open(target, 'w');
    try {
      let remaining = file.bytes;
      if (header) {
        await writeAll(handle, header);
        hash?.update(header);
        remaining -= header.byteLength;
        this.progress.addBytes(header.byteLength);
      }
      while (remaining > 0) {
        const data = next(Math.min(STREAM_CHUNK_BYTES, remaining));
        await writeAll(handle, data);
        hash?.update(data);
        remaining -= data.byteLength;
        this.progress.addBytes(data.byteLength);
        await this.progress.tick();
      }
    } finally {
      await handle.close();
    }
    if (!hash) return file.path;
    const finalPath = path.posix.join(path.posix.dirname(file.path), hash.digest('hex'));
    fs.renameSync(target, this.absolute(finalPath));
    return finalPath;
  }
}
