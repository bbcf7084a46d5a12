import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import {
  BackupSidecarSchema,
  type BackupSidecar,
} from '../../../src-shared/models/backup-manifest';
import type { VerifyDepth, VerifyReport } from '../../../src-shared/models/backups';
import { checkManifestYielding } from '../restore/backup-manifest-reader';
import { extractVerified } from '../restore/verified-extract';

/** What verification reads. */
export interface VerifyTarget {
  id: string;
  archivePath: string;
  sidecarPath: string;
  /** The archive hash the catalog recorded, when it has one. */
  expectedSha256: string | null;
}

/**
 * Reads a sidecar and checks it as a restore would (the format, every path, the totals);
 * the reason when it is missing, malformed or refused.
 */
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
  try {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { sidecar: await checkManifestYielding(json, BackupSidecarSchema, path.basename(file)) };
  } catch (error) {
    if (error instanceof TendFailure) return { problem: error.message };
    throw error;
  }
}

/** At most this many problems are listed; the first ones say what is wrong. */
const LISTED_PROBLEMS = 50;

/**
 * Checks an archive against its sidecar, with the very checks a restore makes.
 *
 * Quick: the sidecar is a sound manifest (as a restore reads it), the archive has its size
 * and whole-file SHA-256. Full, in the same single read: the restore's own reader goes
 * through the gzip stream and every tar entry (paths, types, links, sizes, every file's
 * SHA-256, nothing missing or extra, the manifest inside equal to the sidecar's), naming
 * every entry that does not match; an archive a restore would refuse never passes.
 */
export async function verifyArchive(
  target: VerifyTarget,
  depth: VerifyDepth,
  signal: AbortSignal,
  onProgress: (bytesRead: number, currentPath: string | null) => void = () => undefined,
): Promise<VerifyReport> {
  const started = Date.now();
  const problems: string[] = [];
  const report = (filesChecked: number, bytesRead: number): VerifyReport => {
    if (problems.length > LISTED_PROBLEMS) {
      problems.splice(LISTED_PROBLEMS, problems.length - LISTED_PROBLEMS, 'and more problems.');
    }
    return {
      id: target.id,
      depth,
      ok: problems.length === 0,
      filesChecked,
      bytesRead,
      problems,
      durationMs: Date.now() - started,
    };
  };

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
  let bytesRead = 0;
  let filesChecked = 0;
  let currentPath: string | null = null;
  const onRead = (chunk: Buffer) => {
    archiveHash.update(chunk);
    bytesRead += chunk.length;
    onProgress(bytesRead, currentPath);
  };
  if (depth === 'quick') {
    try {
      for await (const chunk of createReadStream(target.archivePath, {
        highWaterMark: 1024 * 1024,
        signal,
      })) {
        onRead(chunk as Buffer);
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      problems.push(`The archive cannot be read: ${(error as Error).message}`);
      return report(0, bytesRead);
    }
  } else {
    try {
      const result = await extractVerified({
        archivePath: target.archivePath,
        manifest: sidecar,
        target: null,
        hashAll: true,
        signal,
        onRead,
        onProgress: ({ files, currentPath: at }) => {
          filesChecked = files;
          currentPath = at;
        },
        onProblem: (problem) => problems.push(problem.message),
      });
      filesChecked = result.entriesRead;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      problems.push(
        error instanceof TendFailure
          ? error.message
          : `The archive is damaged: ${(error as Error).message}`,
      );
      return report(filesChecked, bytesRead);
    }
  }
  const actual = archiveHash.digest('hex');
  if (actual !== sidecar.archive.sha256) {
    problems.push('The archive SHA-256 does not match its sidecar.');
  }
  if (target.expectedSha256 && actual !== target.expectedSha256) {
    problems.push('The archive SHA-256 does not match what Tend recorded when it wrote it.');
  }
  return report(depth === 'quick' ? 0 : filesChecked, bytesRead);
}
