import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import {
  BackupManifestSchema,
  BackupSidecarSchema,
  MANIFEST_ENTRY,
  type BackupManifest,
  type BackupSidecar,
} from '../../../src-shared/models/backup-manifest';
import type { VerifyDepth, VerifyReport } from '../../../src-shared/models/backups';

/** What verification reads. */
export interface VerifyTarget {
  id: string;
  archivePath: string;
  sidecarPath: string;
  /** The archive hash the catalog recorded, when it has one. */
  expectedSha256: string | null;
}

/** Reads and checks a sidecar; null with the reason when it is missing or malformed. */
export async function readSidecar(
  file: string,
): Promise<{ sidecar: BackupSidecar } | { problem: string }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return {
      problem: `The sidecar ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}).`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: `The sidecar ${file} is not valid JSON.` };
  }
  const parsed = BackupSidecarSchema.safeParse(json);
  if (!parsed.success) return { problem: `The sidecar ${file} does not hold a Tend manifest.` };
  return { sidecar: parsed.data };
}

interface SeenEntry {
  type: string;
  size: number;
  sha256: string | null;
}

function stripArchive(sidecar: BackupSidecar): BackupManifest {
  const manifest: Partial<BackupSidecar> = { ...sidecar };
  delete manifest.archive;
  return manifest as BackupManifest;
}

/**
 * Checks an archive against its sidecar.
 *
 * Quick: the sidecar parses, the archive has its size and whole-file SHA-256. Full, in the
 * same single read: the gzip stream and tar structure are sound, every file's SHA-256 matches
 * the manifest, nothing is missing or extra, and the manifest inside, the last entry, equals
 * the sidecar's.
 */
export async function verifyArchive(
  target: VerifyTarget,
  depth: VerifyDepth,
  signal: AbortSignal,
  onProgress: (bytesRead: number, currentPath: string | null) => void = () => undefined,
): Promise<VerifyReport> {
  const started = Date.now();
  const problems: string[] = [];
  const report = (filesChecked: number, bytesRead: number): VerifyReport => ({
    id: target.id,
    depth,
    ok: problems.length === 0,
    filesChecked,
    bytesRead,
    problems,
    durationMs: Date.now() - started,
  });

  const read = await readSidecar(target.sidecarPath);
  if ('problem' in read) {
    problems.push(read.problem);
    return report(0, 0);
  }
  const { sidecar } = read;
  const stat = await fs.lstat(target.archivePath).catch(() => null);
  if (!stat || !stat.isFile()) {
    problems.push(`The archive ${target.archivePath} is missing.`);
    return report(0, 0);
  }
  if (stat.size !== sidecar.archive.bytes) {
    problems.push(`The archive has ${stat.size} bytes; its sidecar says ${sidecar.archive.bytes}.`);
    return report(0, 0);
  }

  const archiveHash = createHash('sha256');
  const seen = new Map<string, SeenEntry>();
  const order: string[] = [];
  let manifestText = '';
  let bytesRead = 0;

  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      const entryPath = entry.path.replace(/\/+$/, '');
      order.push(entryPath);
      const hash = entry.type === 'File' || entry.type === 'OldFile' ? createHash('sha256') : null;
      const pieces: Buffer[] = [];
      let size = 0;
      entry.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash?.update(chunk);
        if (entryPath === MANIFEST_ENTRY) pieces.push(chunk);
      });
      entry.on('end', () => {
        if (entryPath === MANIFEST_ENTRY) manifestText = Buffer.concat(pieces).toString('utf8');
        if (seen.has(entryPath)) problems.push(`${entryPath} is in the archive twice.`);
        seen.set(entryPath, { type: entry.type, size, sha256: hash ? hash.digest('hex') : null });
      });
    },
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const input = createReadStream(target.archivePath, { highWaterMark: 1024 * 1024, signal });
      const gunzip = depth === 'full' ? zlib.createGunzip({ chunkSize: 256 * 1024 }) : null;
      input.on('data', (chunk) => {
        const buffer = chunk as Buffer;
        archiveHash.update(buffer);
        bytesRead += buffer.length;
        onProgress(bytesRead, order.at(-1) ?? null);
      });
      input.on('error', reject);
      if (!gunzip) {
        input.on('end', resolve);
        return;
      }
      gunzip.on('error', (error) => reject(new Error(`gzip stream: ${error.message}`)));
      parser.on('error', (error: Error) => reject(new Error(`tar structure: ${error.message}`)));
      parser.on('end', () => resolve());
      input.pipe(gunzip).pipe(parser as unknown as NodeJS.WritableStream);
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    problems.push(`The archive is damaged: ${(error as Error).message}`);
    return report(seen.size, bytesRead);
  }

  const actual = archiveHash.digest('hex');
  if (actual !== sidecar.archive.sha256) {
    problems.push('The archive SHA-256 does not match its sidecar.');
  }
  if (target.expectedSha256 && actual !== target.expectedSha256) {
    problems.push('The archive SHA-256 does not match what Tend recorded when it wrote it.');
  }
  if (depth === 'quick') return report(0, bytesRead);

  checkEntries(stripArchive(sidecar), seen, order, manifestText, problems);
  return report(seen.size, bytesRead);
}

function checkEntries(
  expected: BackupManifest,
  seen: Map<string, SeenEntry>,
  order: ReadonlyArray<string>,
  manifestText: string,
  problems: string[],
): void {
  if (order.at(-1) !== MANIFEST_ENTRY) {
    problems.push(`The manifest is not the archive's last entry.`);
  } else {
    let inner: unknown = null;
    try {
      inner = BackupManifestSchema.parse(JSON.parse(manifestText));
    } catch {
      problems.push('The manifest inside the archive is not a valid Tend manifest.');
    }
    if (inner && JSON.stringify(inner) !== JSON.stringify(BackupManifestSchema.parse(expected))) {
      problems.push('The manifest inside the archive differs from its sidecar.');
    }
  }
  const listed = new Set<string>([MANIFEST_ENTRY]);
  for (const entry of expected.entries) {
    listed.add(entry.path);
    const found = seen.get(entry.path);
    if (!found) {
      problems.push(`${entry.path} is missing from the archive.`);
      continue;
    }
    if (entry.type === 'file') {
      if (found.size !== entry.size) {
        problems.push(`${entry.path} has ${found.size} bytes; the manifest says ${entry.size}.`);
      } else if (found.sha256 !== entry.sha256) {
        problems.push(`${entry.path} does not match its SHA-256 in the manifest.`);
      }
    }
  }
  for (const name of seen.keys()) {
    if (!listed.has(name)) problems.push(`${name} is in the archive but not in the manifest.`);
  }
  // Long problem lists help nobody; the first ones say what is wrong.
  if (problems.length > 50) problems.splice(50, problems.length - 50, 'and more problems.');
}
