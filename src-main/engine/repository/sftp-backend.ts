import { randomBytes } from 'node:crypto';
import path from 'node:path/posix';
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { TendFailure } from '../../../src-shared/errors';
import {
  MissingFileError,
  type Backend,
  type ByteRange,
  type FileHandle,
  type FileType,
  type StoredFile,
} from './backend';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './backend-retry';
import { layoutFolders, layoutPath, LAYOUT_FOLDERS } from './repository-layout';
import {
  credentialsRefused,
  hostKeyChanged,
  repositoryExists,
  storageFailed,
  storageFull,
  unreachable,
} from './repository-errors';
import { isResticId } from './restic-id';
import { hostKeyFingerprint, judgeHostKey } from './sftp-host-key';

/** Where an SFTP repository is and how to log in. */
export interface SftpOptions {
  readonly host: string;
  /** 22 when left out. */
  readonly port?: number;
  readonly username: string;
  /** The repository's folder: absolute, or relative to the login folder (as `restic -r sftp:user@host:path`). */
  readonly path: string;
  /** An OpenSSH or PEM private key; with `passphrase` when it is encrypted. */
  readonly privateKey?: string | Buffer;
  readonly passphrase?: string;
  readonly password?: string;
  /** An ssh-agent's socket (`SSH_AUTH_SOCK`), tried for keys besides `privateKey`. */
  readonly agent?: string;
  /** The host key fingerprint pinned at the first connection (`SHA256:…`); null or left out: not yet pinned. */
  readonly hostKey?: string | null;
  /** Told the fingerprint the first time a server is met, so the caller can keep it. */
  readonly onHostKeyPinned?: (fingerprint: string) => void;
  /** How long a connection may take before it counts as unreachable (20 s). */
  readonly connectTimeoutMs?: number;
  /** Retries across dropped connections (DEFAULT_RETRY). */
  readonly retry?: RetryPolicy;
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 puts them in `error.code`. */
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const SFTP_FAILURE = 4;

/** Bytes a write request carries; ssh2 splits larger ones itself, one request at a time. */
const WRITE_CHUNK = 256 * 1024;
/** Write requests in flight at once: enough to fill the pipe, few enough to resume cheaply. */
const WRITES_IN_FLIGHT = 4;

interface Session {
  readonly client: SftpClient;
  readonly sftp: SFTPWrapper;
  alive: boolean;
  /** Rejects when the connection goes: requests in flight then never get an answer. */
  readonly lost: Promise<never>;
}

/** An error from the SFTP server about one file, as opposed to a lost connection. */
function sftpStatus(error: unknown): number | null {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : null;
}

/** Whether an error means the connection went away (the operation may be tried again). */
function isConnectionLoss(error: unknown): boolean {
  return (
    !(error instanceof TendFailure) &&
    !(error instanceof MissingFileError) &&
    sftpStatus(error) === null
  );
}

function call<T>(run: (done: (error: Error | null | undefined, value?: T) => void) => void) {
  return new Promise<T>((resolve, reject) => {
    run((error, value) => (error ? reject(error) : resolve(value as T)));
  });
}

/**
 * A repository on an SFTP server (ssh2-sftp-client over ssh2), laid out as restic's sftp
 * backend lays it out, so `restic -r sftp:user@host:/path` opens it. Writes go as restic's
 * do (internal/backend/sftp/sftp.go, Save): a temp file beside the final name, fsync
 * (`fsync@openssh.com` where the server has it), then a rename, so a file appears whole or
 * not at all. A connection that drops is reopened and the operation retried; a write picks up
 * after the last bytes the server acknowledged. The host key is pinned on first use and
 * checked on every later connection before anything is sent.
 */
export class SftpBackend implements Backend {
  readonly location: string;
  /** A local or remote POSIX folder lists a file as soon as its rename returns. */
  readonly lockSettleMs = 0;
  private session: Promise<Session> | null = null;
  private pinned: string | null;
  /** Writes resumed after a dropped connection (for tests and logs). */
  resumedWrites = 0;

  constructor(private readonly options: SftpOptions) {
    const port = options.port && options.port !== 22 ? `:${options.port}` : '';
    this.location = `sftp:${options.username}@${options.host}${port}:${options.path}`;
    this.pinned = options.hostKey ?? null;
  }

  /** The pinned host key fingerprint (after the first connection, when nothing was pinned before). */
  get hostKey(): string | null {
    return this.pinned;
  }

  private remote(relative: string): string {
    return path.join(this.options.path, relative);
  }

  private pathOf(handle: FileHandle): string {
    return this.remote(layoutPath(handle));
  }

  /** The open session, connecting (again) when there is none or it was lost. */
  private async connect(): Promise<Session> {
    for (let tries = 0; ; tries++) {
      const pending = this.session ?? (this.session = this.openSession());
      let session: Session;
      try {
        session = await pending;
      } catch (error) {
        if (this.session === pending) this.session = null;
        throw error;
      }
      if (session.alive) return session;
      if (this.session === pending) this.session = null;
      if (tries >= 2)
        throw unreachable(this.location, 'the connection closed as soon as it opened');
    }
  }

  private async openSession(): Promise<Session> {
    let seen: string | null = null;
    let refusedKey = false;
    const state = { alive: true };
    let reportLoss: (error: Error) => void = () => {};
    const lost = new Promise<never>((_, reject) => (reportLoss = reject));
    lost.catch(() => {});
    const dead = () => {
      state.alive = false;
      reportLoss(new Error('the connection was lost'));
    };
    const client = new SftpClient('tend', { error: dead, end: dead, close: dead });
    try {
      const sftp = await client.connect({
        host: this.options.host,
        port: this.options.port ?? 22,
        username: this.options.username,
        ...(this.options.privateKey ? { privateKey: this.options.privateKey } : {}),
        ...(this.options.passphrase ? { passphrase: this.options.passphrase } : {}),
        ...(this.options.password ? { password: this.options.password } : {}),
        ...(this.options.agent ? { agent: this.options.agent } : {}),
        readyTimeout: this.options.connectTimeoutMs ?? 20_000,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          seen = hostKeyFingerprint(key);
          refusedKey = judgeHostKey(this.pinned, seen) === 'changed';
          return !refusedKey;
        },
      });
      if (seen && judgeHostKey(this.pinned, seen) === 'pin') {
        this.pinned = seen;
        this.options.onHostKeyPinned?.(seen);
      }
      return {
        client,
        sftp,
        lost,
        get alive() {
          return state.alive;
        },
        set alive(value: boolean) {
          state.alive = value;
        },
      };
    } catch (error) {
      await client.end().catch(() => {});
      if (refusedKey && seen) throw hostKeyChanged(this.location, this.pinned!, seen);
      throw this.connectFailure(error);
    }
  }

  private connectFailure(error: unknown): TendFailure {
    if (error instanceof TendFailure) return error;
    const text = (error as Error).message ?? String(error);
    const level = (error as { level?: string }).level;
    if (level === 'client-authentication' || /authentication methods failed/i.test(text)) {
      return credentialsRefused(this.location, 'no key or password was accepted');
    }
    if (/private key|passphrase|Cannot parse/i.test(text)) {
      return new TendFailure(
        'INVALID_INPUT',
        `The private key for ${this.location} cannot be used (${text}). Check the key file and its passphrase.`,
        { reason: 'destination-key', location: this.location },
      );
    }
    return unreachable(this.location, text.replace(/^getConnection: /, ''));
  }

  /**
   * Runs an operation on a live session; when the connection drops, reconnects and runs it
   * again (the operation is told the attempt, so a write can pick up where it stopped).
   */
  private async run<T>(
    action: string,
    operation: (sftp: SFTPWrapper, attempt: number) => Promise<T>,
    neededBytes = 0,
  ): Promise<T> {
    try {
      return await withRetries(
        async (attempt) => {
          const session = await this.connect();
          try {
            return await Promise.race([operation(session.sftp, attempt), session.lost]);
          } catch (error) {
            if (isConnectionLoss(error)) await this.drop(session);
            throw error;
          }
        },
        {
          policy: this.options.retry ?? DEFAULT_RETRY,
          transient: (error) =>
            error instanceof TendFailure
              ? (error.details as { reason?: string } | undefined)?.reason === 'unreachable'
              : isConnectionLoss(error),
        },
      );
    } catch (error) {
      throw await this.failure(action, error, neededBytes);
    }
  }

  private async drop(session: Session): Promise<void> {
    session.alive = false;
    await session.client.end().catch(() => {});
  }

  /** A TendFailure for what went wrong; a full disk says how much was needed and free. */
  private async failure(action: string, error: unknown, neededBytes: number): Promise<Error> {
    if (error instanceof TendFailure || error instanceof MissingFileError) return error;
    const status = sftpStatus(error);
    const message = (error as Error).message ?? String(error);
    if (status === SFTP_FAILURE && neededBytes > 0) {
      // OpenSSH's sftp-server reports a full disk as a plain failure: ask how much is free.
      const free = await this.freeBytes();
      if (free !== null && free < neededBytes + 64 * 1024) {
        return storageFull(this.location, neededBytes, free);
      }
    }
    if (status === SFTP_PERMISSION_DENIED) {
      return storageFailed(this.location, action, { code: 'EACCES', message });
    }
    return storageFailed(this.location, action, { message });
  }

  async create(): Promise<void> {
    if (await this.stat({ type: 'config', name: '' })) {
      throw repositoryExists(this.location);
    }
    await this.run('make the repository folders', async (sftp) => {
      await this.mkdirs(sftp, this.options.path);
      // Not every folder of restic's layout in parallel: 261 requests at once stall some servers.
      const folders = layoutFolders();
      for (let i = 0; i < folders.length; i += 32) {
        await Promise.all(
          folders.slice(i, i + 32).map((folder) => this.mkdirs(sftp, this.remote(folder))),
        );
      }
    });
  }

  /** `mkdir -p` over SFTP: each missing parent in turn. */
  private async mkdirs(sftp: SFTPWrapper, folder: string): Promise<void> {
    const stat = await call<Stats>((done) => sftp.stat(folder, done)).catch(() => null);
    if (stat?.isDirectory()) return;
    const parent = path.dirname(folder);
    if (parent !== folder && parent !== '.') await this.mkdirs(sftp, parent);
    await call<void>((done) => sftp.mkdir(folder, { mode: 0o700 }, done)).catch(async (error) => {
      // Made meanwhile by a parallel request: fine.
      const again = await call<Stats>((done) => sftp.stat(folder, done)).catch(() => null);
      if (!again?.isDirectory()) throw error;
    });
  }

  async list(type: FileType): Promise<StoredFile[]> {
    if (type === 'config') {
      const config = await this.stat({ type, name: '' });
      return config ? [config] : [];
    }
    return this.run(`list ${LAYOUT_FOLDERS[type]}`, async (sftp) => {
      const base = this.remote(LAYOUT_FOLDERS[type]);
      const folders =
        type === 'data'
          ? (await this.readdir(sftp, base))
              .filter((entry) => /^[0-9a-f]{2}$/.test(entry.filename))
              .map((entry) => path.join(base, entry.filename))
          : [base];
      const files: StoredFile[] = [];
      for (let i = 0; i < folders.length; i += 16) {
        const listed = await Promise.all(
          folders.slice(i, i + 16).map((folder) => this.readdir(sftp, folder)),
        );
        for (const entries of listed) {
          for (const entry of entries) {
            if (!isResticId(entry.filename) || !entry.attrs.isFile()) continue;
            files.push({ name: entry.filename, size: entry.attrs.size });
          }
        }
      }
      return files;
    });
  }

  private async readdir(sftp: SFTPWrapper, folder: string): Promise<FileEntryWithStats[]> {
    try {
      return await call<FileEntryWithStats[]>((done) => sftp.readdir(folder, done));
    } catch (error) {
      if (sftpStatus(error) === SFTP_NO_SUCH_FILE) return [];
      throw error;
    }
  }

  async stat(handle: FileHandle): Promise<StoredFile | null> {
    return this.run(`read ${layoutPath(handle)}`, async (sftp) => {
      try {
        const stat = await call<Stats>((done) => sftp.stat(this.pathOf(handle), done));
        return { name: handle.name, size: stat.size };
      } catch (error) {
        if (sftpStatus(error) === SFTP_NO_SUCH_FILE) return null;
        throw error;
      }
    });
  }

  async read(handle: FileHandle, range?: ByteRange): Promise<Buffer> {
    return this.readPath(this.pathOf(handle), layoutPath(handle), range, () => {
      throw new MissingFileError(handle);
    });
  }

  private async readPath(
    file: string,
    shown: string,
    range: ByteRange | undefined,
    missing: () => never,
  ): Promise<Buffer> {
    return this.run(`read ${shown}`, async (sftp) => {
      let remoteHandle: Buffer;
      try {
        remoteHandle = await call<Buffer>((done) => sftp.open(file, 'r', done));
      } catch (error) {
        if (sftpStatus(error) === SFTP_NO_SUCH_FILE) missing();
        throw error;
      }
      try {
        const start = range?.offset ?? 0;
        const length =
          range?.length ??
          (await call<Stats>((done) => sftp.fstat(remoteHandle, done))).size - start;
        const buffer = Buffer.allocUnsafe(length);
        let done = 0;
        while (done < length) {
          const want = Math.min(length - done, WRITE_CHUNK);
          const bytesRead = await call<number>((callback) =>
            sftp.read(remoteHandle, buffer, done, want, start + done, (error, count) =>
              callback(error, count),
            ),
          ).catch((error: unknown) => {
            // ssh2 reports the end of the file as an EOF status.
            if (sftpStatus(error) === 1) return 0;
            throw error;
          });
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === length ? buffer : buffer.subarray(0, done);
      } finally {
        await call<void>((done) => sftp.close(remoteHandle, done)).catch(() => {});
      }
    });
  }

  async write(handle: FileHandle, data: Buffer): Promise<void> {
    await this.writePath(this.pathOf(handle), layoutPath(handle), data);
  }

  /**
   * Uploads to a temp name and renames. Across a dropped connection the same temp file is
   * continued from the end of the bytes the server acknowledged (every range before that was
   * acknowledged too), after checking the file holds at least that many.
   */
  private async writePath(final: string, shown: string, data: Buffer): Promise<void> {
    const temporary = `${final}-tmp-${randomBytes(6).toString('hex')}`;
    let acknowledged = 0;
    try {
      await this.run(
        `write ${shown}`,
        async (sftp, attempt) => {
          const before =
            attempt > 1
              ? await call<Stats>((done) => sftp.stat(temporary, done)).catch(() => null)
              : null;
          let from = 0;
          let remoteHandle: Buffer;
          if (before && before.size >= acknowledged) {
            from = acknowledged;
            if (from > 0) this.resumedWrites += 1;
            remoteHandle = await call<Buffer>((done) => sftp.open(temporary, 'r+', done));
          } else if (before) {
            acknowledged = 0;
            remoteHandle = await call<Buffer>((done) => sftp.open(temporary, 'w', done));
          } else {
            acknowledged = 0;
            remoteHandle = await this.openNew(sftp, temporary);
          }
          try {
            await this.writeFrom(sftp, remoteHandle, data, from, (done) => {
              acknowledged = done;
            });
            await call<void>((done) => sftp.ext_openssh_fsync(remoteHandle, done)).catch(
              (error: unknown) => {
                // A server without the extension: the close below is all restic does there.
                if (!/not support/i.test((error as Error).message)) throw error;
              },
            );
          } finally {
            await call<void>((done) => sftp.close(remoteHandle, done)).catch(() => {});
          }
          await this.rename(sftp, temporary, final, data.length);
        },
        data.length,
      );
    } catch (error) {
      await this.discard(temporary);
      throw error;
    }
  }

  private async openNew(sftp: SFTPWrapper, file: string): Promise<Buffer> {
    const open = () => call<Buffer>((done) => sftp.open(file, 'wx', { mode: 0o600 }, done));
    try {
      return await open();
    } catch (error) {
      if (sftpStatus(error) !== SFTP_NO_SUCH_FILE) throw error;
      await this.mkdirs(sftp, path.dirname(file));
      return open();
    }
  }

  /** Writes `data` from `from` on, a few requests in flight; returns the bytes now acknowledged. */
  private async writeFrom(
    sftp: SFTPWrapper,
    remoteHandle: Buffer,
    data: Buffer,
    from: number,
    onAcknowledged: (contiguous: number) => void,
  ): Promise<number> {
    const pending = new Map<number, Promise<void>>();
    const finished = new Set<number>();
    let contiguous = from;
    let next = from;
    const advance = () => {
      while (finished.has(contiguous)) {
        finished.delete(contiguous);
        contiguous = Math.min(data.length, contiguous + WRITE_CHUNK);
      }
      onAcknowledged(contiguous);
    };
    while (next < data.length || pending.size > 0) {
      while (next < data.length && pending.size < WRITES_IN_FLIGHT) {
        const offset = next;
        const length = Math.min(WRITE_CHUNK, data.length - offset);
        next += length;
        pending.set(
          offset,
          call<void>((done) =>
            sftp.write(remoteHandle, data, offset, length, offset, (error) => done(error)),
          ).then(() => {
            pending.delete(offset);
            finished.add(offset);
            advance();
          }),
        );
      }
      await Promise.race(pending.values());
    }
    return contiguous;
  }

  private async rename(
    sftp: SFTPWrapper,
    temporary: string,
    final: string,
    size: number,
  ): Promise<void> {
    try {
      await call<void>((done) => sftp.ext_openssh_rename(temporary, final, done));
    } catch (error) {
      if (!/not support/i.test((error as Error).message)) {
        // Content-addressed: a file already there under the same name with the same size is
        // the same file (a retry after a rename whose answer was lost).
        const existing = await call<Stats>((done) => sftp.stat(final, done)).catch(() => null);
        if (existing?.size !== size) throw error;
        await call<void>((done) => sftp.unlink(temporary, done)).catch(() => {});
        return;
      }
      await call<void>((done) => sftp.rename(temporary, final, done));
    }
  }

  private async discard(temporary: string): Promise<void> {
    const session = await this.session?.catch(() => null);
    if (!session?.alive) return;
    await call<void>((done) => session.sftp.unlink(temporary, done)).catch(() => {});
  }

  async remove(handle: FileHandle): Promise<void> {
    await this.removePath(this.pathOf(handle), layoutPath(handle));
  }

  private async removePath(file: string, shown: string): Promise<void> {
    await this.run(`delete ${shown}`, async (sftp) => {
      await call<void>((done) => sftp.unlink(file, done)).catch((error: unknown) => {
        if (sftpStatus(error) !== SFTP_NO_SUCH_FILE) throw error;
      });
    });
  }

  async freeBytes(): Promise<number | null> {
    try {
      return await this.run('measure free space', async (sftp) => {
        const info = await call<{ f_bavail: number | bigint; f_frsize: number | bigint }>((done) =>
          sftp.ext_openssh_statvfs(this.options.path, done),
        ).catch(() => null);
        return info ? Number(info.f_bavail) * Number(info.f_frsize) : null;
      });
    } catch {
      return null;
    }
  }

  async writeScratch(name: string, data: Buffer): Promise<void> {
    await this.run('make the destination folder', (sftp) => this.mkdirs(sftp, this.options.path));
    await this.writePath(this.remote(name), name, data);
  }

  async readScratch(name: string): Promise<Buffer> {
    return this.readPath(this.remote(name), name, undefined, () => {
      throw storageFailed(this.location, `read ${name}`, { code: 'ENOENT' });
    });
  }

  async removeScratch(name: string): Promise<void> {
    await this.removePath(this.remote(name), name);
  }

  async close(): Promise<void> {
    const session = await this.session?.catch(() => null);
    this.session = null;
    if (session) await session.client.end().catch(() => {});
  }
}
