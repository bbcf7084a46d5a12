/**
 * Where a repository's files live: a local folder, an SFTP path or an S3 prefix, each laid out
 * as restic lays out a repository (repository-layout.ts), so `restic -r <folder>`,
 * `restic -r sftp:…` and `restic -r s3:…` open what Tend writes.
 *
 * Every backend keeps restic's rule that files are written once and never changed: `write`
 * makes a file appear whole or not at all, and is durable when it resolves (a local folder
 * fsyncs the file and its folder), which the writer relies on to store packs, then the index,
 * then the snapshot.
 */

/** The kinds of file in a repository (restic's FileType). */
export type FileType = 'config' | 'keys' | 'data' | 'index' | 'snapshots' | 'locks';

/** One file: its kind and its name (the hex id; empty for `config`). */
export interface FileHandle {
  readonly type: FileType;
  readonly name: string;
}

/** A stored file's name and size. */
export interface StoredFile {
  readonly name: string;
  readonly size: number;
}

/** A byte range of a file. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** The operations a repository needs from its storage. */
export interface Backend {
  /** Where it is, for messages (`/media/usb/tend`, `sftp:host:/path`, `s3:bucket/prefix`). */
  readonly location: string;
  /**
   * How long a new lock waits before it looks for other locks again (repository-lock.ts): 0
   * where a file is listed as soon as its write returns (a folder, SFTP), longer where a
   * listing may lag behind writes.
   */
  readonly lockSettleMs: number;
  /** Makes the folders of a new repository; refuses when a `config` is already there. */
  create(): Promise<void>;
  /** Every file of a kind, with sizes; names that are not ids are left out. */
  list(type: FileType): Promise<StoredFile[]>;
  /** A file's size, or null when it is not there. */
  stat(handle: FileHandle): Promise<StoredFile | null>;
  /** A whole file or a range of it; throws MissingFileError when it is not there. */
  read(handle: FileHandle, range?: ByteRange): Promise<Buffer>;
  /** Stores a file atomically and durably. */
  write(handle: FileHandle, data: Buffer): Promise<void>;
  /** Deletes a file; a file already gone is not an error. */
  remove(handle: FileHandle): Promise<void>;
  /** Free bytes where the files go, when the storage can tell. */
  freeBytes(): Promise<number | null>;
  /**
   * Writes a scratch file at the top of the destination, beside restic's folders (which
   * restic never lists), for the destination test; makes the destination's folder if needed.
   */
  writeScratch(name: string, data: Buffer): Promise<void>;
  /** Reads a scratch file back. */
  readScratch(name: string): Promise<Buffer>;
  /** Deletes a scratch file; a file already gone is not an error. */
  removeScratch(name: string): Promise<void>;
  /** Closes connections. */
  close(): Promise<void>;
}

/** A file the repository expected is not there. */
export class MissingFileError extends Error {
  constructor(readonly handle: FileHandle) {
    super(`${handle.type}/${handle.name || 'config'} is missing`);
    this.name = 'MissingFileError';
  }
}
