/**
 * Reads a Tend archive from end to end and writes the chosen files into a fresh folder, every
 * byte checked against a trusted manifest as it is written (DESIGN §5, step 3).
 *
 * Refused before a single byte of an entry is written: absolute or climbing paths, hard links,
 * devices, links and entries the manifest does not list or lists with another size or target,
 * a second copy of a path. Refused as it happens: more decompressed bytes than the manifest
 * allows (a gzip bomb), a hash that differs, an archive cut short. Refused at the end: a file
 * the manifest lists that never came, and an in-archive manifest that differs from the trusted
 * one.
 *
 * Links the manifest lists are made last, after every file is written and the manifest
 * checked, so nothing is ever written through one, and only when they lead to a place inside
 * the folder (resolved through the archive's own links); the others are reported, never made.
 * A name this system cannot hold (archive-path.ts, `nameProblem`) is reported and not written.
 *
 * The same reader verifies a backup (`onProblem`): then a mismatch of one entry is reported
 * and the reading goes on, so one pass names every damaged file; unsafe archives still stop.
 */
import { createHash, hash as hashOf, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import {
  BackupManifestSchema,
  MANIFEST_ENTRY,
  type BackupManifest,
} from '../../../src-shared/models/backup-manifest';
import { syncBatch, syncFileSync, syncFolderSync } from '../fs/durable';
import { EarlyWriteback } from '../fs/early-writeback';
import { FileWriters } from '../fs/file-writers';
import { resolveLink } from '../fs/link-target';
import { LoopBudget } from '../fs/loop-budget';
import { displayName } from '../fs/raw-name';
import { makeFolders, makeLink, openFileSync } from '../fs/sys-fs';
import { isPlainPath, withSysPath } from '../fs/sys-path';
import { ArchiveInflate } from './archive-inflate';
import { addAncestors, checkArchivePath, nameProblem } from './archive-path';
import type { ManifestLink } from './archive-index';
import {
  canonicalManifest,
  checkManifest,
  sameAsTrusted,
  sameBytesAsTrusted,
  type ManifestFile,
} from './backup-manifest-reader';
import { TarReader, type TarEntrySink, type TarHeader } from './tar-reader';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** The in-archive manifest may be at most this large. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
/** From this many files in the manifest on, writer threads write them (fs/file-writers.ts). */
const WRITERS_FROM_FILES = 256;
/** Writer threads by default: with the main thread and zlib's, enough for two cores. */
const DEFAULT_WRITERS = 2;
/**
 * Files from this size on are written on this thread: their calls are few, and copying their
 * bytes into a writer's batch cost more CPU than it saved (medium demo, `tend restore export`).
 */
const WRITER_MAX_FILE_BYTES = 1024 * 1024;

/** How to extract. */
export interface ExtractOptions {
  readonly archivePath: string;
  /**
   * The manifest to hold the archive to (from the sidecar). Null when there is none: then the
   * archive is only read and checked against its own manifest (`verifyOnly` must be true).
   */
  readonly manifest: BackupManifest | null;
  /** An empty folder that receives the chosen files; null to write nothing. */
  readonly target: string | null;
  /** Which manifest files and links to write; the rest are read past (still checked if hashed). */
  readonly select?: (entry: ManifestFile | ManifestLink) => boolean;
  /** Hash every file, written or not (import, verify); else only the written ones. */
  readonly hashAll?: boolean;
  readonly signal: AbortSignal;
  readonly onProgress?: (done: { bytes: number; files: number; currentPath: string }) => void;
  /** Called when a written file is complete and checked (closed, hash matched). */
  readonly onFileWritten?: (relative: string, absolute: string, sqlite: boolean) => void;
  /**
   * Verifying: called with each mismatch of an entry (unlisted, other size, other hash,
   * missing), and the reading goes on. Unsafe or unreadable archives still throw.
   */
  readonly onProblem?: (problem: TendFailure) => void;
  /** Sees every chunk of the archive file as it is read (its whole-file hash, progress). */
  readonly onRead?: (chunk: Buffer) => void;
  /**
   * Worker threads that create and write the files (fs/file-writers.ts); 0 writes them on
   * this thread. By default 2 when the manifest lists many files, else 0.
   */
  readonly writers?: number;
}

/** Something listed that was not written, and why. */
export interface NotWritten {
  readonly path: string;
  readonly why: string;
}

/** What an extraction saw and wrote. */
export interface ExtractResult {
  /** The manifest found inside the archive, checked. */
  readonly manifest: BackupManifest;
  readonly filesWritten: number;
  readonly bytesWritten: number;
  /** Root-relative paths of written files that are SQLite databases. */
  readonly sqliteFiles: ReadonlyArray<string>;
  /** Entries of the tar stream read (the manifest included). */
  readonly entriesRead: number;
  /** Links made (each leads inside the folder). */
  readonly linksWritten: number;
  /** Chosen links not made: they lead outside the folder. */
  readonly skippedLinks: ReadonlyArray<NotWritten>;
  /** Chosen entries not written: this system cannot hold their names. */
  readonly unholdable: ReadonlyArray<NotWritten>;
}

function refuse(code: 'RESTORE_ARCHIVE_UNSAFE' | 'RESTORE_MANIFEST_MISMATCH', message: string) {
  return new TendFailure(code, message);
}

/** Upper bound of the tar stream for a manifest: headers, pax records, padding, slack. */
function decompressedLimit(manifest: BackupManifest): number {
  let limit = 64 * 1024 + MAX_MANIFEST_BYTES / 64;
  for (const entry of manifest.entries) {
    // Up to three header blocks (pax header, its data, the header) and padding; a name's
    // UTF-16 unit is at most 3 bytes, and a pax header may hold the path and a link's target.
    const target = entry.type === 'symlink' ? entry.target.length : 0;
    limit += 4 * 512 + 3 * (entry.path.length + target) * 2;
    if (entry.type === 'file') limit += entry.size;
  }
  return limit;
}

/** Extracts (or only verifies) an archive against its manifest; see the file comment. */
export async function extractVerified(options: ExtractOptions): Promise<ExtractResult> {
  if (!options.manifest && options.target !== null) {
    throw new Error('extractVerified writes files only with a trusted manifest.');
  }
  // Decompressing starts now, in a worker, while the manifest is indexed.
  const inflate = new ArchiveInflate(options.archivePath, {
    onRead: options.onRead,
    signal: options.signal,
  });
  try {
    return await extractFrom(inflate, options);
  } finally {
    await inflate.close();
  }
}

/** The extraction itself, from the archive's bytes as `inflate` gives them. */
async function extractFrom(
  inflate: ArchiveInflate,
  options: ExtractOptions,
): Promise<ExtractResult> {
  const trusted = options.manifest;
  const files = new Map<string, ManifestFile>();
  const dirs = new Set<string>();
  const links = new Map<string, ManifestLink>();
  // Long synchronous stretches (a manifest of 20,000 entries indexed, parsed, compared) give
  // the event loop its turn every few milliseconds.
  const budget = new LoopBudget();
  for (const entry of trusted?.entries ?? []) {
    if (budget.spent) await budget.pause();
    if (entry.type === 'file') files.set(entry.path, entry);
    else if (entry.type === 'directory') dirs.add(entry.path);
    else links.set(entry.path, entry);
    addAncestors(entry.path, dirs);
  }
  // Entries the tar stream may hold: the manifest's, folders above them, the manifest itself.
  const maxEntries = trusted ? trusted.entries.length + dirs.size + 1 : Infinity;
  const maxBytes = trusted ? decompressedLimit(trusted) : Infinity;
  const select = options.select ?? (() => true);
  const hashAll = options.hashAll ?? false;
  // An entry's mismatch stops a restore; a verification notes it and reads on.
  const mismatch = (problem: TendFailure) => {
    if (!options.onProblem) throw problem;
    options.onProblem(problem);
  };

  const seen = new Set<string>();
  // The bytes start for the disk as they are written; the closing sync finds little left.
  const writeback = options.target ? new EarlyWriteback(options.target) : null;
  const writerCount = options.writers ?? (files.size >= WRITERS_FROM_FILES ? DEFAULT_WRITERS : 0);
  // Files are created and written in writer threads while this one reads, checks and hashes
  // on; every check stays here, before a writer sees the file.
  const writers = options.target && writerCount > 0 ? new FileWriters(writerCount) : null;
  const madeDirs = new Set<string>();
  /** Root-relative paths of the files written, to make durable before returning. */
  const written: string[] = [];
  const sqliteFiles: string[] = [];
  const skippedLinks: NotWritten[] = [];
  const unholdable: NotWritten[] = [];
  const chosenLinks: ManifestLink[] = [];
  // Without a trusted manifest (import of a bare archive), links are kept to check at the end.
  const seenLinks = new Map<string, string>();
  let entries = 0;
  let filesWritten = 0;
  let bytesWritten = 0;
  let bytesDone = 0;
  let filesDone = 0;
  let manifestParts: Buffer[] | null = null;
  let manifestSeen = false;
  let lastProgress = 0;
  // Without a trusted manifest (import of a bare archive), hashes are kept to check at the end.
  const hashes = new Map<string, { sha256: string; size: number }>();

  // A checked archive path is canonical (no empty, '.' or '..' segment): on POSIX it is joined
  // to the target by concatenation, as path.join would (a tenth of the main thread's time on
  // 20,000 small files went to path.join).
  const folder = options.target ?? '';
  const targetPrefix = path.join(folder, '/');
  const concatenates = path.sep === '/' && path.join(folder, 'a') === `${targetPrefix}a`;
  const inTarget = (relative: string) =>
    concatenates ? targetPrefix + relative : path.join(folder, relative);
  const ensureDir = (relative: string) => {
    if (!options.target || relative === '' || madeDirs.has(relative)) return;
    makeFolders(path.join(options.target, relative));
    madeDirs.add(relative);
  };
  /** Whether a chosen entry can be written here; when not, it is reported. */
  const holdable = (relative: string) => {
    const why = nameProblem(relative);
    if (why) unholdable.push({ path: relative, why });
    return why === null;
  };

  const visit = (header: TarHeader): TarEntrySink | null => {
    options.signal.throwIfAborted();
    entries++;
    if (entries > maxEntries) {
      throw new TendFailure(
        'RESTORE_ARCHIVE_OVERSIZED',
        `The archive holds more entries than its manifest lists (${maxEntries - 1}).`,
      );
    }
    if (manifestSeen) {
      throw refuse(
        'RESTORE_MANIFEST_MISMATCH',
        `The archive has ${displayName(header.path)} after its manifest, which must be the last entry.`,
      );
    }
    const rawPath = header.type === 'directory' ? header.path.replace(/\/+$/, '') : header.path;
    if (rawPath === MANIFEST_ENTRY) {
      if (header.type !== 'file' || header.size > MAX_MANIFEST_BYTES) {
        throw refuse('RESTORE_ARCHIVE_UNSAFE', 'The archive manifest is not a plain file.');
      }
      manifestSeen = true;
      manifestParts = [];
      const parts = manifestParts;
      return { data: (chunk) => parts.push(Buffer.from(chunk)), end: () => undefined };
    }
    const relative = checkArchivePath(rawPath);
    // Only a message uses it: worked out then, not for every entry.
    const shown = () => displayName(relative);
    if (seen.has(relative)) {
      throw refuse('RESTORE_ARCHIVE_UNSAFE', `The archive holds ${shown()} twice.`);
    }
    seen.add(relative);
    switch (header.type) {
      case 'directory':
        if (trusted && !dirs.has(relative)) {
          mismatch(
            refuse(
              'RESTORE_MANIFEST_MISMATCH',
              `The archive holds a folder ${shown()} that its manifest does not list.`,
            ),
          );
        }
        return null;
      case 'symlink': {
        const listed = links.get(relative);
        if (trusted && listed?.target === header.linkPath) {
          if (options.target && select(listed) && holdable(relative)) chosenLinks.push(listed);
          return null;
        }
        if (!trusted) {
          seenLinks.set(relative, header.linkPath);
          return null;
        }
        throw refuse(
          'RESTORE_ARCHIVE_UNSAFE',
          `The archive holds a link ${shown()} → ${displayName(header.linkPath)} that its manifest does not list.`,
        );
      }
      case 'hardlink':
        throw refuse(
          'RESTORE_ARCHIVE_UNSAFE',
          `The archive holds a hard link ${shown()} → ${displayName(header.linkPath)}; Tend restores only files, folders and links.`,
        );
      case 'character-device':
      case 'block-device':
      case 'fifo':
      case 'other':
        throw refuse(
          'RESTORE_ARCHIVE_UNSAFE',
          `The archive holds ${shown()} of type ${header.type} (tar type ${JSON.stringify(header.flag)}); Tend restores only files, folders and links.`,
        );
      case 'file':
        break;
    }
    const entry = files.get(relative);
    filesDone++;
    if (trusted && !entry) {
      mismatch(
        refuse(
          'RESTORE_MANIFEST_MISMATCH',
          `The archive holds ${shown()}, which its manifest does not list.`,
        ),
      );
      bytesDone += header.size;
      return null;
    }
    if (entry && entry.size !== header.size) {
      mismatch(
        new TendFailure(
          'RESTORE_ARCHIVE_OVERSIZED',
          `${shown()} is ${header.size} bytes in the archive but ${entry.size} in its manifest.`,
        ),
      );
      bytesDone += header.size;
      return null;
    }
    const write = Boolean(entry && options.target && select(entry) && holdable(relative));
    const check = write || hashAll || !trusted;
    if (!check) {
      bytesDone += header.size;
      return null;
    }
    // A file that comes in one slice (most small ones) is hashed in one call, without a Hash.
    let hash: Hash | null = null;
    let whole: string | null = null;
    let fd: number | null = null;
    // Whether a writer thread writes this file (else `fd`, on this thread).
    let pooled = false;
    let first = true;
    let sqlite = false;
    const absolute = write ? inTarget(relative) : '';
    if (write && options.target) {
      const parent = path.posix.dirname(relative);
      if (parent !== '.') ensureDir(parent);
      const mode = (entry!.mode & 0o777) | 0o600;
      // 'wx': a path written once cannot be written again, nor through anything already there.
      // Large files, names that are not UTF-8 and paths over the system's limit stay on this
      // thread.
      if (writers && header.size < WRITER_MAX_FILE_BYTES && isPlainPath(absolute)) {
        writers.open(absolute, mode);
        pooled = true;
      } else {
        fd = openFileSync(absolute, 'wx', mode);
      }
    }
    return {
      data(chunk) {
        if (first) {
          first = false;
          if (write && chunk.length >= 16 && chunk.subarray(0, 16).equals(SQLITE_MAGIC)) {
            sqliteFiles.push(relative);
            sqlite = true;
          }
        }
        if (whole === null && hash === null && chunk.length === header.size) {
          whole = hashOf('sha256', chunk, 'hex');
        } else {
          hash ??= createHash('sha256');
          hash.update(chunk);
        }
        if (fd !== null) {
          let offset = 0;
          while (offset < chunk.length) offset += fs.writeSync(fd, chunk, offset);
          writeback?.wrote(chunk.length);
        } else if (pooled) {
          writers!.write(chunk);
          writeback?.wrote(chunk.length);
        }
        bytesDone += chunk.length;
      },
      end() {
        const sha256 = whole ?? (hash ?? createHash('sha256')).digest('hex');
        // Set once the hash is seen to match: only then is the file announced as written.
        let matched = false;
        if (fd !== null || pooled) {
          const mtime = entry!.mtimeMs / 1000;
          if (pooled) {
            const announce = options.onFileWritten;
            writers!.close(
              mtime,
              announce ? () => matched && announce(relative, absolute, sqlite) : undefined,
            );
          } else {
            fs.futimesSync(fd!, mtime, mtime);
            fs.closeSync(fd!);
          }
          written.push(relative);
          filesWritten++;
          bytesWritten += header.size;
        }
        matched = !entry || sha256 === entry.sha256;
        if (!matched) {
          mismatch(
            new TendFailure(
              'RESTORE_ARCHIVE_CORRUPT',
              `${shown()} in the archive does not match its manifest (SHA-256 differs): the archive is damaged or was changed.`,
            ),
          );
        }
        if (!trusted) hashes.set(relative, { sha256, size: header.size });
        if (fd !== null && options.target) {
          options.onFileWritten?.(relative, absolute, sqlite);
        }
        const now = Date.now();
        if (options.onProgress && now - lastProgress > 50) {
          lastProgress = now;
          options.onProgress({ bytes: bytesDone, files: filesDone, currentPath: relative });
        }
      },
    };
  };

  try {
    const reader = new TarReader(visit);
    let decompressed = 0;
    try {
      for await (const chunk of inflate) {
        // Chunks the decompressor has ready come without a pause: give the loop its turn.
        if (budget.spent) await budget.pause();
        decompressed += chunk.length;
        if (decompressed > maxBytes) {
          throw new TendFailure(
            'RESTORE_ARCHIVE_OVERSIZED',
            'The archive unpacks to more bytes than its manifest lists; it is not restored.',
          );
        }
        reader.write(chunk);
        // The writers keep at most a few MiB waiting; their failure stops the reading.
        if (writers) await writers.room();
      }
      reader.finish();
      await writers?.finish();
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      if (error instanceof TendFailure) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC') {
        throw new TendFailure('RESTORE_NO_SPACE', 'The disk filled up while restoring.');
      }
      if (code?.startsWith('Z_') || code === 'ERR_STREAM_PREMATURE_CLOSE') {
        throw new TendFailure(
          'RESTORE_ARCHIVE_CORRUPT',
          `The archive is damaged: ${(error as Error).message}.`,
        );
      }
      if (code === 'ENOENT' && !fs.existsSync(options.archivePath)) {
        throw new TendFailure('BACKUP_NOT_FOUND', `There is no archive at ${options.archivePath}.`);
      }
      throw error;
    }

    if (!manifestParts) {
      throw new TendFailure(
        trusted ? 'RESTORE_MANIFEST_MISMATCH' : 'RESTORE_NOT_TEND_ARCHIVE',
        `The archive has no ${MANIFEST_ENTRY}; it was not written by Tend or was cut short.`,
      );
    }
    const manifestBytes = Buffer.concat(manifestParts);
    // The usual case, the sidecar's own bytes, is seen without parsing them or a schema pass.
    let same = trusted ? sameBytesAsTrusted(manifestBytes, trusted) : null;
    let raw: unknown = same;
    if (!same) {
      try {
        raw = JSON.parse(manifestBytes.toString('utf8'));
      } catch {
        throw refuse(
          'RESTORE_MANIFEST_MISMATCH',
          'The manifest inside the archive is not valid JSON.',
        );
      }
      await budget.pause();
      same = trusted ? sameAsTrusted(raw, trusted) : null;
    }
    const inside =
      same ?? checkManifest(raw, BackupManifestSchema, path.basename(options.archivePath));
    if (trusted) {
      if (!same && canonicalManifest(inside) !== canonicalManifest(trusted)) {
        mismatch(
          refuse(
            'RESTORE_MANIFEST_MISMATCH',
            'The manifest inside the archive differs from the one beside it: one of them was changed.',
          ),
        );
      }
      await budget.pause();
      for (const relative of [...files.keys(), ...links.keys()]) {
        if (budget.spent) await budget.pause();
        if (!seen.has(relative)) {
          mismatch(
            refuse(
              'RESTORE_MANIFEST_MISMATCH',
              `${displayName(relative)} is listed in the manifest but missing from the archive.`,
            ),
          );
        }
      }
    } else {
      checkAgainstOwnManifest(inside, hashes, seenLinks);
    }
    // Links last: every file is in place and checked, so none is ever written through a link.
    let linksWritten = 0;
    if (options.target) {
      const target = options.target;
      const linkAt = (relative: string) => links.get(relative)?.target ?? null;
      for (const link of chosenLinks) {
        const leads = resolveLink(link.path, link.target, linkAt);
        if (!leads.inside) {
          skippedLinks.push({ path: link.path, why: leads.why });
          continue;
        }
        const parent = path.posix.dirname(link.path);
        if (parent !== '.') ensureDir(parent);
        const absolute = path.join(target, link.path);
        makeLink(link.target, absolute);
        const mtime = link.mtimeMs / 1000;
        withSysPath(absolute, (at) => fs.lutimesSync(at, mtime, mtime));
        linksWritten++;
      }
      // Every file's bytes and every folder's names reach the disk before the caller's swap
      // renames them into the data folder: a power cut after the swap must not leave a restored
      // name with no bytes behind it. In one batch (fs/durable.ts, syncBatch), else one by one.
      await writeback?.settle();
      await syncBatch(target, () => {
        for (const relative of written) {
          withSysPath(path.join(target, relative), (at) => syncFileSync(at));
        }
        const made = [...madeDirs].sort((a, b) => b.length - a.length);
        for (const relative of made) {
          withSysPath(path.join(target, relative), (at) => syncFolderSync(at));
        }
        syncFolderSync(target);
      });
    }
    return {
      manifest: inside,
      filesWritten,
      bytesWritten,
      sqliteFiles,
      entriesRead: entries,
      linksWritten,
      skippedLinks,
      unholdable,
    };
  } finally {
    // Nothing writes into the target once this returns or throws (the caller may remove it).
    writeback?.close();
    await writers?.stop();
  }
}

/** For an archive read without a sidecar: every entry and hash must match its own manifest. */
function checkAgainstOwnManifest(
  manifest: BackupManifest,
  hashes: ReadonlyMap<string, { sha256: string; size: number }>,
  links: ReadonlyMap<string, string>,
): void {
  const listed = new Set<string>();
  for (const entry of manifest.entries) {
    listed.add(entry.path);
    if (entry.type === 'symlink' && links.get(entry.path) !== entry.target) {
      throw refuse(
        'RESTORE_MANIFEST_MISMATCH',
        `The link ${displayName(entry.path)} of the manifest is missing from the archive or leads elsewhere.`,
      );
    }
    if (entry.type !== 'file') continue;
    const got = hashes.get(entry.path);
    if (!got) {
      throw refuse(
        'RESTORE_MANIFEST_MISMATCH',
        `${displayName(entry.path)} is listed in the manifest but missing from the archive.`,
      );
    }
    if (got.size !== entry.size || got.sha256 !== entry.sha256) {
      throw new TendFailure(
        'RESTORE_ARCHIVE_CORRUPT',
        `${displayName(entry.path)} in the archive does not match its manifest: the archive is damaged or was changed.`,
      );
    }
  }
  for (const relative of [...hashes.keys(), ...links.keys()]) {
    if (!listed.has(relative)) {
      throw refuse(
        'RESTORE_MANIFEST_MISMATCH',
        `The archive holds ${displayName(relative)}, which its manifest does not list.`,
      );
    }
  }
}
