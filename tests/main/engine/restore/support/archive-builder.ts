/**
 * Builds backup archives in the fixed format (src-shared/models/backup-manifest.ts) for the
 * restore tests, with node-tar's Header and Pax encoders, and lets a test make them hostile:
 * change the entries, the manifest inside, the sidecar, or the gzip bytes.
 *
 * Written from the format alone, not from the backup engine, so a misreading on either side
 * shows up as a failing test instead of two matching mistakes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { Header, Pax, type HeaderData } from 'tar';
import {
  MANIFEST_ENTRY,
  type BackupKind,
  type BackupManifest,
  type BackupSidecar,
  type ManifestCollection,
  type ManifestEntry,
} from '../../../../../src-shared/models/backup-manifest';
import type { Category } from '../../../../../src-shared/models/categories';
import { categorize } from '../../../../support/native-root';

/** One raw tar entry: any header node-tar can encode, and its data. */
export interface RawEntry {
  header: HeaderData;
  data: Buffer;
}

/** A file to put in an archive. */
export interface SpecFile {
  path: string;
  content: Buffer | string;
  mode?: number;
  mtimeMs?: number;
}

/** What to build, and how to spoil it. */
export interface ArchiveSpec {
  files: ReadonlyArray<SpecFile>;
  /** Symbolic links, listed in the manifest and stored as tar link entries after the files. */
  links?: ReadonlyArray<{ path: string; target: string }>;
  kind?: BackupKind;
  categories?: ReadonlyArray<Category>;
  collections?: ReadonlyArray<ManifestCollection>;
  assistantSchemaVersion?: number | null;
  id?: string;
  /** Changes the tar entries (manifest excluded) before they are written. */
  tamperEntries?: (entries: RawEntry[]) => RawEntry[];
  /** Changes the manifest inside the archive only. */
  tamperInnerManifest?: (manifest: BackupManifest) => void;
  /** Changes the sidecar only (after its archive fields are set). */
  tamperSidecar?: (sidecar: BackupSidecar) => void;
  /** Changes the finished .tar.gz bytes (the sidecar keeps the honest size and hash). */
  tamperArchive?: (gz: Buffer) => Buffer;
  /** Lets the sidecar record the tampered archive's size and hash instead. */
  sidecarOfTampered?: boolean;
  /** Leaves out the sidecar. */
  noSidecar?: boolean;
  /** Leaves the manifest out of the archive. */
  noInnerManifest?: boolean;
}

/** A built archive. */
export interface BuiltArchive {
  archivePath: string;
  sidecarPath: string;
  manifest: BackupManifest;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const FIXED_MTIME = Date.UTC(2026, 9, 1, 12, 0, 0);

/** Encodes one entry: pax header when needed, the header block, the data, its padding. */
export function encodeEntry(entry: RawEntry): Buffer {
  const header = new Header({ uid: 0, gid: 0, uname: '', gname: '', ...entry.header });
  const block = Buffer.alloc(512);
  header.encode(block);
  const parts: Buffer[] = [];
  if (header.needPax) {
    parts.push(
      new Pax({
        path: entry.header.path,
        linkpath: entry.header.linkpath,
        size: entry.header.size,
        mtime: entry.header.mtime,
      }).encode(),
    );
  }
  parts.push(block, entry.data, Buffer.alloc((512 - (entry.data.length % 512)) % 512));
  return Buffer.concat(parts);
}

/** A file entry. */
export function fileEntry(relative: string, content: Buffer | string, mode = 0o644): RawEntry {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return {
    header: { path: relative, mode, size: data.length, mtime: new Date(FIXED_MTIME), type: 'File' },
    data,
  };
}

/** Builds an archive and its sidecar in `dir`. */
export function buildArchive(dir: string, spec: ArchiveSpec): BuiltArchive {
  const id = spec.id ?? `tend-20261101-030000-${spec.kind ?? 'full'}`;
  const entries: ManifestEntry[] = [];
  let raw: RawEntry[] = [];
  for (const file of spec.files) {
    const data = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content);
    const mtimeMs = file.mtimeMs ?? FIXED_MTIME;
    const mode = file.mode ?? 0o644;
    entries.push({
      type: 'file',
      path: file.path,
      size: data.length,
      mtimeMs,
      mode,
      sha256: sha(data),
      category: categorize(file.path) ?? 'irreplaceable',
    });
    raw.push({
      header: { path: file.path, mode, size: data.length, mtime: new Date(mtimeMs), type: 'File' },
      data,
    });
  }
  for (const link of spec.links ?? []) {
    entries.push({
      type: 'symlink',
      path: link.path,
      mtimeMs: FIXED_MTIME,
      mode: 0o777,
      target: link.target,
      category: categorize(link.path) ?? 'irreplaceable',
    });
    raw.push({
      header: {
        path: link.path,
        mode: 0o777,
        size: 0,
        mtime: new Date(FIXED_MTIME),
        type: 'SymbolicLink',
        linkpath: link.target,
      },
      data: Buffer.alloc(0),
    });
  }
  const manifest: BackupManifest = {
    format: 'tend-backup',
    formatVersion: 1,
    tendVersion: '0.1.0',
    id,
    kind: spec.kind ?? 'full',
    categories: spec.categories ?? ['irreplaceable', 'rebuildable', 'redownloadable'],
    createdAt: '2026-11-01T03:00:00.000Z',
    sourceRoot: '/somewhere/root',
    host: 'test-host',
    assistantSchemaVersion: spec.assistantSchemaVersion ?? null,
    collections: spec.collections ?? [],
    entries,
    totals: {
      files: entries.filter((e) => e.type === 'file').length,
      bytes: entries.reduce((s, e) => s + (e.type === 'file' ? e.size : 0), 0),
    },
    warnings: [],
  };
  if (spec.tamperEntries) raw = spec.tamperEntries(raw);
  const inner = structuredClone(manifest) as BackupManifest;
  spec.tamperInnerManifest?.(inner);
  const blocks = raw.map(encodeEntry);
  if (!spec.noInnerManifest)
    blocks.push(encodeEntry(fileEntry(MANIFEST_ENTRY, JSON.stringify(inner))));
  blocks.push(Buffer.alloc(1024));
  const honest = zlib.gzipSync(Buffer.concat(blocks), { level: 1 });
  const gz = spec.tamperArchive ? spec.tamperArchive(honest) : honest;
  fs.mkdirSync(dir, { recursive: true });
  const archivePath = path.join(dir, `${id}.tar.gz`);
  fs.writeFileSync(archivePath, gz);
  const sidecarPath = path.join(dir, `${id}.manifest.json`);
  if (!spec.noSidecar) {
    const sidecar: BackupSidecar = {
      ...structuredClone(manifest),
      archive: {
        fileName: path.basename(archivePath),
        bytes: spec.sidecarOfTampered ? gz.length : honest.length,
        sha256: sha(spec.sidecarOfTampered ? gz : honest),
      },
    };
    spec.tamperSidecar?.(sidecar);
    fs.writeFileSync(sidecarPath, JSON.stringify(sidecar, null, 2));
  }
  return { archivePath, sidecarPath, manifest };
}

/** Every file of a root (outside .tend/), as SpecFiles; SQLite files copied consistently. */
export async function filesOfRoot(
  root: string,
  keep: (relative: string) => boolean = (relative) => categorize(relative) !== 'disposable',
): Promise<SpecFile[]> {
  const out: SpecFile[] = [];
  const walk = async (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (child === '.tend') continue;
      if (entry.isDirectory()) {
        await walk(child);
        continue;
      }
      if (!entry.isFile() || !keep(child)) continue;
      if (/-(wal|shm|journal)$/.test(child)) continue;
      const absolute = path.join(root, child);
      const stat = fs.statSync(absolute);
      let content = fs.readFileSync(absolute);
      if (content.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') {
        const copy = `${absolute}.copy-${process.pid}`;
        const db = new Database(absolute, { readonly: true });
        await db.backup(copy);
        db.close();
        content = fs.readFileSync(copy);
        fs.rmSync(copy);
      }
      out.push({ path: child, content, mode: stat.mode & 0o777, mtimeMs: stat.mtimeMs });
    }
  };
  await walk('');
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The manifest collections of an assistant.db, as the backup side records them. */
export function collectionsOf(dbFile: string): ManifestCollection[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT c.name, c.dimension, c.space,
           (SELECT count(*) FROM chunks k WHERE k.collection_id = c.id AND k.deleted_at IS NULL) AS chunks
         FROM collections c ORDER BY c.name`,
      )
      .all() as ManifestCollection[];
  } finally {
    db.close();
  }
}

/** A fingerprint of a folder tree (paths, types, sizes, hashes, link targets), for equality. */
export function treeFingerprint(
  root: string,
  skip: (relative: string) => boolean = (r) => r === '.tend',
): string {
  const lines: string[] = [];
  const walk = (relative: string) => {
    const entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip(child)) continue;
      const absolute = path.join(root, child);
      if (entry.isDirectory()) {
        lines.push(`d ${child}`);
        walk(child);
      } else if (entry.isSymbolicLink()) {
        lines.push(`l ${child} -> ${fs.readlinkSync(absolute)}`);
      } else {
        lines.push(`f ${child} ${sha(fs.readFileSync(absolute))}`);
      }
    }
  };
  walk('');
  return lines.join('\n');
}
