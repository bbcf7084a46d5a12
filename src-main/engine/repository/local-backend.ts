import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import { diskSpace } from '../fs/free-space';
import { syncFolder } from '../fs/durable';
import {
  MissingFileError,
  type Backend,
  type ByteRange,
  type FileHandle,
  type FileType,
  type StoredFile,
} from './backend';
import { isResticId } from './restic-id';
import { layoutFolders, layoutPath, LAYOUT_FOLDERS } from './repository-layout';
import {
  destinationIsAFile,
  repositoryExists,
  storageFailed,
  storageFull,
} from './repository-errors';

/**
 * A repository in a local folder (an external disk, usually), written as restic's local
 * backend writes (internal/backend/local/local.go, Save): a temp file `<name>-tmp-<random>`
 * beside the final name, fsync, rename, fsync the folder, then read-only. A temp file left by a
 * crash is not an id, so restic and Tend both pass over it.
 */
export class LocalBackend implements Backend {
  readonly location: string;
  /** A local or remote POSIX folder lists a file as soon as its rename returns. */
  readonly lockSettleMs = 0;

  constructor(readonly folder: string) {
    this.location = folder;
  }

  private pathOf(handle: FileHandle): string {
    return path.join(this.folder, ...layoutPath(handle).split('/'));
  }

  async create(): Promise<void> {
    await this.refuseAFile();
    if (await this.stat({ type: 'config', name: '' })) {
      throw repositoryExists(this.folder);
    }
    try {
      for (const folder of layoutFolders()) {
        await fs.mkdir(path.join(this.folder, folder), { recursive: true, mode: 0o700 });
      }
      await syncFolder(path.join(this.folder, 'data'));
      await syncFolder(this.folder);
      await syncFolder(path.dirname(this.folder));
    } catch (error) {
      throw await this.failure('make the repository folders', error, 0);
    }
  }

  async list(type: FileType): Promise<StoredFile[]> {
    if (type === 'config') {
      const config = await this.stat({ type, name: '' });
      return config ? [config] : [];
    }
    const base = path.join(this.folder, LAYOUT_FOLDERS[type]);
    const folders = type === 'data' ? await this.readdir(base) : [''];
    const files: StoredFile[] = [];
    for (const sub of folders) {
      if (type === 'data' && !/^[0-9a-f]{2}$/.test(sub)) continue;
      const dir = path.join(base, sub);
      for (const name of await this.readdir(dir)) {
        if (!isResticId(name)) continue;
        const stat = await fs.lstat(path.join(dir, name)).catch(() => null);
        if (stat?.isFile()) files.push({ name, size: stat.size });
      }
    }
    return files;
  }

  private async readdir(dir: string): Promise<string[]> {
    try {
      return await fs.readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      await this.refuseAFile();
      throw storageFailed(this.location, `list ${dir}`, error);
    }
  }

  async stat(handle: FileHandle): Promise<StoredFile | null> {
    try {
      const stat = await fs.stat(this.pathOf(handle));
      return { name: handle.name, size: stat.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      await this.refuseAFile();
      throw storageFailed(this.location, `read ${layoutPath(handle)}`, error);
    }
  }

  async read(handle: FileHandle, range?: ByteRange): Promise<Buffer> {
    let file: fs.FileHandle;
    try {
      file = await fs.open(this.pathOf(handle), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingFileError(handle);
      await this.refuseAFile();
      throw storageFailed(this.location, `read ${layoutPath(handle)}`, error);
    }
    try {
      if (!range) return await file.readFile();
      const buffer = Buffer.allocUnsafe(range.length);
      let done = 0;
      while (done < range.length) {
        const { bytesRead } = await file.read(
          buffer,
          done,
          range.length - done,
          range.offset + done,
        );
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === range.length ? buffer : buffer.subarray(0, done);
    } catch (error) {
      throw storageFailed(this.location, `read ${layoutPath(handle)}`, error);
    } finally {
      await file.close();
    }
  }

  async write(handle: FileHandle, data: Buffer): Promise<void> {
    const final = this.pathOf(handle);
    const dir = path.dirname(final);
    const temporary = `${final}-tmp-${randomBytes(6).toString('hex')}`;
    let file: fs.FileHandle | null = null;
    try {
      file = await fs.open(temporary, 'wx', 0o600).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await fs.mkdir(dir, { recursive: true, mode: 0o700 });
        return fs.open(temporary, 'wx', 0o600);
      });
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await file.write(data, written, data.length - written);
        written += bytesWritten;
      }
      // A lock needs no durability: after a crash its holder is gone too, and a lock lost
      // with it is what should happen. Everything else is synced before and after the rename.
      const durable = handle.type !== 'locks';
      if (durable) await file.sync();
      await file.close();
      file = null;
      await fs.rename(temporary, final);
      if (durable) await syncFolder(dir);
      await fs.chmod(final, 0o400);
    } catch (error) {
      await file?.close().catch(() => {});
      await fs.rm(temporary, { force: true }).catch(() => {});
      throw await this.failure(`write ${layoutPath(handle)}`, error, data.length);
    }
  }

  async remove(handle: FileHandle): Promise<void> {
    try {
      await fs.rm(this.pathOf(handle), { force: true });
    } catch (error) {
      throw storageFailed(this.location, `delete ${layoutPath(handle)}`, error);
    }
  }

  async freeBytes(): Promise<number | null> {
    try {
      return (await diskSpace(this.folder)).freeBytes;
    } catch {
      return null;
    }
  }

  async writeScratch(name: string, data: Buffer): Promise<void> {
    const file = path.join(this.folder, path.basename(name));
    try {
      await fs.mkdir(this.folder, { recursive: true, mode: 0o700 });
      const handle = await fs.open(file, 'wx', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await fs.rm(file, { force: true }).catch(() => {});
      throw await this.failure(`write ${name}`, error, data.length);
    }
  }

  async readScratch(name: string): Promise<Buffer> {
    try {
      return await fs.readFile(path.join(this.folder, path.basename(name)));
    } catch (error) {
      throw storageFailed(this.location, `read ${name}`, error);
    }
  }

  async removeScratch(name: string): Promise<void> {
    try {
      await fs.rm(path.join(this.folder, path.basename(name)), { force: true });
    } catch (error) {
      throw storageFailed(this.location, `delete ${name}`, error);
    }
  }

  async close(): Promise<void> {}

  /** A file where the repository's folder should be is a wrong address, said as one (was ENOTDIR). */
  private async refuseAFile(): Promise<void> {
    const stat = await fs.stat(this.folder).catch(() => null);
    if (stat && !stat.isDirectory()) throw destinationIsAFile(this.location);
  }

  private async failure(action: string, error: unknown, neededBytes: number): Promise<TendFailure> {
    if (error instanceof TendFailure) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return storageFull(this.location, neededBytes, await this.freeBytes());
    }
    return storageFailed(this.location, action, error);
  }
}
