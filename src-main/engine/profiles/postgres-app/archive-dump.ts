/**
 * A database dump inside a backup archive: where the manifest lists it, and taking it out
 * into a temp folder with every byte checked against the manifest's SHA-256.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { TendFailure } from '../../../../src-shared/errors';
import type { BackupManifest, ManifestEntry } from '../../../../src-shared/models/backup-manifest';
import { syncDescriptorSync } from '../../fs/durable';
import { TarReader, type TarHeader } from '../../restore/tar-reader';
import type { RestoredApart } from '../profile';

type ManifestFile = Extract<ManifestEntry, { type: 'file' }>;

/** The suffix of the file beside a dump that holds its record (row counts, versions). */
export const DUMP_RECORD_SUFFIX = '.json';

/** A dump a manifest lists, with its record file. */
export interface ArchivedDump {
  readonly dump: ManifestFile;
  readonly record: ManifestFile;
}

/** The database dumps a manifest lists (`database/<name>.dump` with its `.json`), by path. */
export function dumpsIn(manifest: Pick<BackupManifest, 'entries'>): ArchivedDump[] {
  const files = new Map(
    manifest.entries.flatMap((entry) => (entry.type === 'file' ? [[entry.path, entry]] : [])),
  );
  const found: ArchivedDump[] = [];
  for (const [file, entry] of files) {
    if (!/^database\/[^/]+\.dump$/.test(file)) continue;
    const record = files.get(file + DUMP_RECORD_SUFFIX);
    if (record) found.push({ dump: entry, record });
  }
  return found;
}

/**
 * The dumps of a backup as a restore of files sees them: not files of the folder, but the
 * database's, restored by swap (`tend pg restore`, the Database page), so a whole-archive
 * restore never writes them into the folder.
 */
export function dumpsRestoredApart(
  manifest: Pick<BackupManifest, 'id' | 'entries'>,
): RestoredApart[] {
  return dumpsIn(manifest).map(({ dump, record }) => ({
    paths: [dump.path, record.path],
    why: `${dump.path} is the database's dump, not a file of the folder: a restore of files leaves it in the backup. Restore the database by swap with tend pg restore ${manifest.id} (or from the Database page).`,
  }));
}

/**
 * Copies the listed members of a `.tar.gz` into files (new files, 0600), each hashed on the
 * way and compared with its manifest entry: BACKUP_CORRUPT when one differs or is missing, and
 * then none of the files is left.
 */
export async function extractMembers(
  archive: string,
  members: ReadonlyArray<{ entry: ManifestFile; target: string }>,
  signal?: AbortSignal,
): Promise<void> {
  const wanted = new Map(members.map((member) => [member.entry.path, member]));
  const seen = new Map<string, { sha256: string; size: number }>();
  const visit = (header: TarHeader) => {
    const member = wanted.get(header.path);
    if (!member || header.type !== 'file') return null;
    const fd = fs.openSync(member.target, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    return {
      data(chunk: Buffer) {
        hash.update(chunk);
        size += chunk.length;
        for (let offset = 0; offset < chunk.length;) {
          offset += fs.writeSync(fd, chunk, offset, chunk.length - offset);
        }
      },
      end() {
        syncDescriptorSync(fd);
        fs.closeSync(fd);
        seen.set(header.path, { sha256: hash.digest('hex'), size });
      },
    };
  };
  const reader = new TarReader(visit);
  try {
    await pipeline(
      fs.createReadStream(archive, { highWaterMark: 1024 * 1024 }),
      zlib.createGunzip({ chunkSize: 256 * 1024 }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) reader.write(chunk);
        reader.finish();
      },
      signal ? { signal } : {},
    );
    for (const member of members) {
      const got = seen.get(member.entry.path);
      if (!got) {
        throw new TendFailure(
          'BACKUP_CORRUPT',
          `${path.basename(archive)} does not hold ${member.entry.path}, which its manifest lists.`,
        );
      }
      if (got.sha256 !== member.entry.sha256 || got.size !== member.entry.size) {
        throw new TendFailure(
          'BACKUP_CORRUPT',
          `${member.entry.path} in ${path.basename(archive)} does not match its manifest (SHA-256 or size differs); it is not restored.`,
        );
      }
    }
  } catch (error) {
    for (const member of members) fs.rmSync(member.target, { force: true });
    if (signal?.aborted) throw signal.reason;
    if (error instanceof TendFailure) throw error;
    throw new TendFailure(
      'BACKUP_CORRUPT',
      `${path.basename(archive)} cannot be read: ${(error as Error).message}`,
    );
  }
}
