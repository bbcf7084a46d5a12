import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { formatBytes } from '../../../src-shared/language/bytes';
import { assertNever } from '../../../src-shared/errors';
import type { Settings } from '../../../src-shared/models/settings';
import type {
  CleanCeiling,
  CleanItem,
  CleanKind,
  CleanPlan,
} from '../../../src-shared/models/usage';
import type { ProfiledRoot } from '../profiles/profiled-root';
import type { CleanupKind } from '../root/category-rules';
import { processAlive } from '../jobs/process-alive';
import { categoryAt } from './folder-categorizer';
import type { UsageScan } from './scanner';
import { sumFigures, type FolderRecord } from './usage-tree';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A temporary file younger than this may still be being written. */
export const TEMP_MIN_AGE_MS = 60 * 60 * 1000;
/** Plain logs older than this (and still within retention) may be gzipped. */
export const GZIP_AFTER_DAYS = 7;

const HOUR_MS = 60 * 60 * 1000;

/** What a plan is made from. */
export interface PlanInput {
  rootPath: string;
  /** The root's rules: which files are disposable, and which cleanup may remove them. */
  rules: Pick<ProfiledRoot, 'categorize' | 'cleanupPlaceOf'>;
  scan: UsageScan;
  settings: Settings;
  now: Date;
  gzipOldLogs?: boolean;
  /** Whether a process id is alive on this machine (tests pass their own). */
  isPidAlive?: (pid: number) => boolean;
}

/** A plan before it gets its id. */
export type PlanDraft = Omit<CleanPlan, 'id' | 'createdAt'>;

/**
 * Which cleanup a file belongs to, or null: the profile's rule that matched it decides, so
 * only the layout's own logs, cache, lock and temp places are ever offered.
 */
export function disposableKind(
  rules: Pick<ProfiledRoot, 'cleanupPlaceOf'>,
  relative: string,
): CleanupKind | null {
  return rules.cleanupPlaceOf(relative)?.kind ?? null;
}

function* filesOf(folder: FolderRecord): Generator<[string, number]> {
  const stack = [folder];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const prefix = current.path === '' ? '' : `${current.path}/`;
    const names = current.fileNames();
    for (let index = 0; index < names.length; index++) {
      yield [prefix + names[index]!, current.fileCategories[index]!];
    }
    stack.push(...current.children);
  }
}

interface Candidate {
  path: string;
  bytes: number;
  mtimeMs: number;
  /** The place the matching rule names. */
  place: string;
}

/** The disposable regular files of one kind, as they are now. */
function candidates(input: PlanInput, kind: CleanupKind): Candidate[] {
  const found: Candidate[] = [];
  for (const [relative, category] of filesOf(input.scan.root)) {
    if (categoryAt(category) !== 'disposable') continue;
    const place = input.rules.cleanupPlaceOf(relative);
    if (place?.kind !== kind) continue;
    // The category rules are asked again on the whole path: nothing else is ever offered.
    if (input.rules.categorize(relative) !== 'disposable') continue;
    const stat = fs.lstatSync(`${input.rootPath}/${relative}`, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    found.push({ path: relative, bytes: stat.size, mtimeMs: stat.mtimeMs, place: place.place });
  }
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
}

const days = (ms: number) => Math.floor(ms / DAY_MS);

/** How long ago, in words: hours under two days, days after. */
export function sinceText(ms: number): string {
  if (ms < 2 * DAY_MS) {
    const hours = Math.floor(ms / HOUR_MS);
    return `${hours} hour${hours === 1 ? '' : 's'}`;
  }
  return `${days(ms)} days`;
}

function item(candidate: Candidate, reason: string, action: CleanItem['action'] = 'delete') {
  return {
    path: candidate.path,
    action,
    bytes: candidate.bytes,
    reclaimBytes: candidate.bytes,
    mtimeMs: candidate.mtimeMs,
    reason,
  };
}

function draft(
  kind: CleanKind,
  title: string,
  rule: string,
  items: CleanItem[],
  elsewhere: PlanDraft['handledElsewhere'] = null,
): PlanDraft {
  return {
    kind,
    title,
    rule,
    items,
    totalBytes: items.reduce((sum, i) => sum + i.bytes, 0),
    reclaimBytes: items.reduce((sum, i) => sum + i.reclaimBytes, 0),
    applicable: elsewhere === null,
    handledElsewhere: elsewhere,
    confirm: null,
  };
}

/**
 * Whether a cleanup is over the ceiling: it would free more than `confirmAboveShare` of the
 * data folder or touch more than `confirmAboveFiles` files. Then it asks again, naming the
 * numbers; null when it may run as previewed.
 */
export function cleanupCeiling(
  plan: Pick<PlanDraft, 'items' | 'reclaimBytes' | 'applicable'>,
  folderBytes: number,
  limits: Pick<Settings['cleanup'], 'confirmAboveShare' | 'confirmAboveFiles'>,
): CleanCeiling | null {
  if (!plan.applicable || plan.items.length === 0) return null;
  const files = plan.items.length;
  const bytes = plan.reclaimBytes;
  const share = folderBytes > 0 ? bytes / folderBytes : 1;
  const overShare = share > limits.confirmAboveShare;
  const overFiles = files > limits.confirmAboveFiles;
  if (!overShare && !overFiles) return null;
  const percent = (value: number, digits = 1) =>
    `${Math.round(value * 100 * 10 ** digits) / 10 ** digits}%`;
  // 50.01% must not read as "50%, more than the 50%".
  const shareText =
    percent(share) === percent(limits.confirmAboveShare) ? percent(share, 3) : percent(share);
  const reasons = [
    overShare
      ? `${shareText} of the data folder (${formatBytes(bytes)} of ${formatBytes(folderBytes)}), more than the ${percent(limits.confirmAboveShare)} a cleanup removes without asking`
      : null,
    overFiles
      ? `${files.toLocaleString('en')} files, more than the ${limits.confirmAboveFiles.toLocaleString('en')} a cleanup removes without asking`
      : null,
  ].filter((reason): reason is string => reason !== null);
  return {
    files,
    bytes,
    folderBytes,
    share,
    maxShare: limits.confirmAboveShare,
    maxFiles: limits.confirmAboveFiles,
    message: `This cleanup would remove ${reasons.join(', and ')}.`,
  };
}

/** What gzip would save on a file, from its first 256 KB. */
function gzipSavings(file: string, bytes: number): number {
  const sample = Buffer.alloc(Math.min(bytes, 256 * 1024));
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, sample, 0, sample.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (sample.length === 0) return 0;
  const ratio = zlib.gzipSync(sample, { level: 6 }).length / sample.length;
  return Math.max(0, Math.round(bytes * (1 - ratio)));
}

/** Logs older than the retention; with `gzipOldLogs`, plain logs older than a week too. */
function planLogs(input: PlanInput): PlanDraft {
  const retention = input.settings.cleanup.logRetentionDays;
  const cutoff = input.now.getTime() - retention * DAY_MS;
  const gzipCutoff = input.now.getTime() - GZIP_AFTER_DAYS * DAY_MS;
  const items: CleanItem[] = [];
  for (const file of candidates(input, 'logs')) {
    const age = sinceText(input.now.getTime() - file.mtimeMs);
    if (file.mtimeMs < cutoff) {
      items.push(
        item(
          file,
          `in ${file.place}, last written ${age} ago: older than the log retention of ${retention} days`,
        ),
      );
    } else if (input.gzipOldLogs && file.mtimeMs < gzipCutoff && !file.path.endsWith('.gz')) {
      const target = `${input.rootPath}/${file.path}.gz`;
      if (fs.existsSync(target)) continue;
      items.push({
        ...item(
          file,
          `in ${file.place}, last written ${age} ago: older than ${GZIP_AFTER_DAYS} days; gzipped, it stays readable`,
          'gzip',
        ),
        reclaimBytes: gzipSavings(`${input.rootPath}/${file.path}`, file.bytes),
      });
    }
  }
  const rule =
    `Logs not written for ${retention} days (Settings → log retention) are deleted` +
    (input.gzipOldLogs ? `; plain logs older than ${GZIP_AFTER_DAYS} days are gzipped.` : '.');
  return draft('logs', 'Old logs', rule, items);
}

/** Cache files older than the age limit, then the oldest until the cache fits its cap. */
function planCache(input: PlanInput): PlanDraft {
  const { cacheCapBytes, cacheMaxAgeDays } = input.settings.cleanup;
  const cutoff = input.now.getTime() - cacheMaxAgeDays * DAY_MS;
  const files = candidates(input, 'cache');
  let remaining = files.reduce((sum, f) => sum + f.bytes, 0);
  const items: CleanItem[] = [];
  for (const file of files) {
    if (file.mtimeMs < cutoff) {
      items.push(
        item(
          file,
          `in ${file.place}, not changed for ${sinceText(input.now.getTime() - file.mtimeMs)}: older than the cache's age limit of ${cacheMaxAgeDays} days`,
        ),
      );
    } else if (remaining > cacheCapBytes) {
      items.push(
        item(
          file,
          `in the cache over its cap of ${formatBytes(cacheCapBytes)}: the oldest files go first`,
        ),
      );
    } else continue;
    remaining -= file.bytes;
  }
  return draft(
    'cache',
    'Cache',
    `Cache files older than ${cacheMaxAgeDays} days, then the oldest first until the cache is under its cap.`,
    items,
  );
}

/** The owner recorded in a lock file: JSON with a pid (and host), or a bare number. */
export function lockOwner(text: string): { pid: number; host: string | null } | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), host: null };
  try {
    const parsed = JSON.parse(trimmed) as { pid?: unknown; host?: unknown; hostname?: unknown };
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid)) return null;
    const host = typeof parsed.host === 'string' ? parsed.host : parsed.hostname;
    return { pid: parsed.pid, host: typeof host === 'string' ? host : null };
  } catch {
    return null;
  }
}

/** Locks held by a process that is gone (or, for another host's lock, untouched for a week). */
function planLocks(input: PlanInput): PlanDraft {
  const alive = input.isPidAlive ?? processAlive;
  const here = os.hostname();
  const items: CleanItem[] = [];
  for (const file of candidates(input, 'locks')) {
    if (file.bytes > 64 * 1024) continue;
    const owner = lockOwner(fs.readFileSync(`${input.rootPath}/${file.path}`, 'utf8'));
    if (!owner) continue;
    const age = days(input.now.getTime() - file.mtimeMs);
    if (owner.host === null || owner.host === here) {
      if (!alive(owner.pid)) items.push(item(file, `its owner, process ${owner.pid}, is gone`));
    } else if (age >= 7) {
      // Another machine's process cannot be asked; a week without a touch is stale enough.
      items.push(
        item(file, `held by process ${owner.pid} on ${owner.host}, untouched ${age} days`),
      );
    }
  }
  return draft('locks', 'Stale locks', 'Lock files whose owner process no longer runs.', items);
}

/** Temporary files in the layout's temp places, untouched for an hour. */
function planTemp(input: PlanInput): PlanDraft {
  const cutoff = input.now.getTime() - TEMP_MIN_AGE_MS;
  const items = candidates(input, 'temp')
    .filter((file) => file.mtimeMs < cutoff)
    .map((file) =>
      item(
        file,
        `a temporary file in ${file.place}, not changed for ${sinceText(input.now.getTime() - file.mtimeMs)}`,
      ),
    );
  return draft(
    'temp',
    'Temporary files',
    'Temporary files where the assistant and its index writer keep them (vector_store/<collection>/, internal_assistant/, the cache), not changed for an hour.',
    items,
  );
}

/** Free pages of a SQLite file, from its header (page size at 16, free-list count at 36). */
export function sqliteFreeBytes(file: string): number | null {
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.readSync(fd, header, 0, 100, 0) < 100) return null;
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return null;
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  return header.readUInt32BE(36) * pageSize;
}

/** SQLite files with free pages; VACUUM is SQLite upkeep's job, so this only reports. */
function planSqlite(input: PlanInput): PlanDraft {
  const items: CleanItem[] = [];
  for (const [relative] of filesOf(input.scan.root)) {
    if (!/\.(db|sqlite|sqlite3)$/.test(relative)) continue;
    const full = `${input.rootPath}/${relative}`;
    const stat = fs.lstatSync(full, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    const free = sqliteFreeBytes(full);
    if (!free) continue;
    items.push({
      path: relative,
      action: 'vacuum',
      bytes: stat.size,
      reclaimBytes: free,
      mtimeMs: stat.mtimeMs,
      reason: 'free pages left by deleted rows; VACUUM gives them back',
    });
  }
  return draft(
    'sqlite',
    'Free space in databases',
    'Free pages counted from each SQLite file header. VACUUM runs with SQLite upkeep.',
    items,
    { page: 'maintenance', label: 'Run SQLite upkeep' },
  );
}

/** Vector indexes are compacted by the index health checks; this plan points there. */
function planVectors(): PlanDraft {
  return draft(
    'vectors',
    'Deleted elements in vector indexes',
    'Indexes keep deleted elements until they are compacted; the Indexes page measures and compacts them.',
    [],
    { page: 'indexes', label: 'Open Indexes' },
  );
}

/**
 * The exact files and bytes one kind of cleanup would touch, and whether it is over the
 * ceiling. Nothing is changed.
 */
export function planCleanup(kind: CleanKind, input: PlanInput): PlanDraft {
  const plan = planKind(kind, input);
  const folderBytes = sumFigures(input.scan.root.total).apparentBytes;
  return { ...plan, confirm: cleanupCeiling(plan, folderBytes, input.settings.cleanup) };
}

function planKind(kind: CleanKind, input: PlanInput): PlanDraft {
  switch (kind) {
    case 'logs':
      return planLogs(input);
    case 'cache':
      return planCache(input);
    case 'locks':
      return planLocks(input);
    case 'temp':
      return planTemp(input);
    case 'sqlite':
      return planSqlite(input);
    case 'vectors':
      return planVectors();
    default:
      return assertNever(kind);
  }
}
