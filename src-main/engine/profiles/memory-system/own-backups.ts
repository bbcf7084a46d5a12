/**
 * The memory system's own backups (seed 001, "Backup Format": a compressed tar.gz named
 * `memory_backup_YYYYMMDD_HHMMSS.tar.gz` in `backups/`): listed with their dates and sizes,
 * and each read through gzip to its end, so one cut short is named before anyone needs it.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { storeCheck, type StoreCheck, type StoreFinding } from '../../stores/store-finding';
import type { StoreRunOptions } from '../../stores/store-kind';
import type { AppBackups } from '../profile';
import { memorySystemPaths } from './memory-system-paths';

/** One backup the memory system made. */
export interface MemorySystemBackup {
  /** The file name, in `backups/`. */
  readonly file: string;
  /** When it was made, from its name (the script's local time, read as UTC). */
  readonly takenAt: string;
  readonly bytes: number;
}

const NAME = /^memory_backup_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})\.tar\.gz$/;

/** When a backup of this name was made, or null when the name is not the system's. */
export function memoryBackupTime(name: string): string | null {
  const match = NAME.exec(name);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // 20240231 is no date: Date rolls it over into March.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23) return null;
  return date.toISOString();
}

/** The system's backups in a `backups/` folder, newest first. */
export async function listMemoryBackups(dir: string): Promise<MemorySystemBackup[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: MemorySystemBackup[] = [];
  for (const entry of entries) {
    const takenAt = entry.isFile() ? memoryBackupTime(entry.name) : null;
    if (takenAt === null) continue;
    const { size } = await fs.stat(path.join(dir, entry.name));
    out.push({ file: entry.name, takenAt, bytes: size });
  }
  return out.sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0));
}

async function gunzipsWhole(file: string, signal?: AbortSignal): Promise<string | null> {
  try {
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    await pipeline(createReadStream(file, { signal }), createGunzip(), sink);
    return null;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    return (error as Error).message;
  }
}

/** What the check of the system's backups read. */
export interface MemoryBackupsFacts {
  readonly backups: ReadonlyArray<MemorySystemBackup>;
}

/** Lists the system's backups and reads each through gzip to its end. */
export async function checkMemoryBackups(
  dir: string,
  options: StoreRunOptions = {},
): Promise<StoreCheck<MemoryBackupsFacts> & { summary: string }> {
  const backups = await listMemoryBackups(dir);
  const findings: StoreFinding[] = [];
  for (const backup of backups) {
    options.signal?.throwIfAborted();
    const broken = await gunzipsWhole(path.join(dir, backup.file), options.signal);
    if (broken === null) continue;
    findings.push({
      code: 'FILE_UNREADABLE',
      severity: 'problem',
      path: backup.file,
      message: `${backup.file}, a backup the memory system made, is not a whole archive (${broken}).`,
      action:
        'Do not restore from it with manage-data.sh; use an older one or a Tend backup, and let the system make a new one (./manage-data.sh backup).',
    });
  }
  const newest = backups[0];
  return {
    ...storeCheck({ backups }, findings),
    summary:
      findings.length > 0
        ? findings.map((finding) => finding.message).join('; ')
        : newest
          ? `${backups.length} backup(s) by the memory system, the newest ${newest.takenAt.slice(0, 16).replace('T', ' ')}`
          : 'no backup by the memory system',
  };
}

/** The data folders a backup of the memory system holds ("Backup Contents"). */
const DATA_FOLDERS = ['memories', 'embeddings', 'indexes'];

/**
 * Where the entries of one of the system's archives belong: archives taken from the system's
 * folder hold `data/memories/…` (nothing to add); one taken inside `data/` holds
 * `memories/…`, which goes under `data/`. A leading `./` is read as nothing.
 */
export function memoryBackupBase(paths: ReadonlyArray<string>): string {
  const firsts = new Set(
    paths
      .map((entry) => entry.replace(/^(\.\/)+/, '').split('/')[0] ?? '')
      .filter((first) => first !== '' && first !== '.'),
  );
  if (firsts.size === 0) return '';
  return [...firsts].every((first) => DATA_FOLDERS.includes(first)) ? memorySystemPaths.data : '';
}

/** The memory system's own backups, for the history. */
export const memorySystemAppBackups: AppBackups = {
  folder: memorySystemPaths.backups,
  list: listMemoryBackups,
  baseOf: memoryBackupBase,
};
