import fs from 'node:fs';
import path from 'node:path';
import type {
  ConflictChoice,
  ConflictResolution,
  LegacyMigrationPlan,
  LegacyMove,
} from '../../../src-shared/models/maintenance';
import { layout } from '../root/layout';
import { exists, sha256File } from './file-moves';

/**
 * Where a legacy file belongs in the new layout (seed 002's `data/`).
 *
 * Uploads are the user's documents; logs are logs; everything else (the JSON stores, the old
 * FAISS indexes) is kept whole under `internal_assistant/legacy/`, where nothing reads it but
 * nothing is lost either.
 */
export function legacyTarget(relative: string): string {
  const rest = relative.replace(/^data\//, '');
  if (rest.startsWith('uploads/')) return `${layout.documents}/${rest.slice('uploads/'.length)}`;
  if (rest.startsWith('logs/')) return `${layout.logs}/legacy/${rest.slice('logs/'.length)}`;
  return `${layout.assistantDir}/legacy/${rest}`;
}

/** `name (legacy).ext`, or `name (legacy 2).ext` … the first that is free. */
export function keepBothName(target: string, taken: (candidate: string) => boolean): string {
  const ext = path.posix.extname(target);
  const base = target.slice(0, target.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = `${base} (legacy${n === 1 ? '' : ` ${n}`})${ext}`;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * How one conflict is settled: the person's choice for it wins; else the plan's resolution;
 * "ask" leaves it waiting, because a conflict is never overwritten without a choice.
 */
export function settleConflict(
  resolution: ConflictResolution,
  choice: ConflictChoice | undefined,
  legacyModifiedMs: number,
  existingModifiedMs: number,
): 'replace' | 'keep-both' | 'keep-current' | 'conflict' {
  const rule = choice ?? resolution;
  switch (rule) {
    case 'keep-both':
      return 'keep-both';
    case 'keep-current':
      return 'keep-current';
    case 'keep-newer':
      return legacyModifiedMs > existingModifiedMs ? 'replace' : 'keep-current';
    case 'ask':
      return 'conflict';
  }
}

function listFiles(root: string, relative: string): string[] {
  const out: string[] = [];
  const dir = path.join(root, relative);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = `${relative}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(root, child));
    else out.push(child);
  }
  return out.sort();
}

/** The folders under data/, so a rollback can put back empty ones too. */
export function listLegacyFolders(root: string, relative: string = layout.legacyData): string[] {
  const out: string[] = [relative];
  for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...listLegacyFolders(root, `${relative}/${entry.name}`));
  }
  return out;
}

/**
 * The preview of a legacy migration: every file, where it goes, what is in the way and how
 * that is settled, the bytes, and the space the moves need.
 */
export async function planLegacyMigration(
  root: string,
  resolution: ConflictResolution,
  choices: Readonly<Record<string, ConflictChoice>> = {},
): Promise<LegacyMigrationPlan> {
  const files = exists(path.join(root, layout.legacyData))
    ? listFiles(root, layout.legacyData)
    : [];
  const moves: LegacyMove[] = [];
  const claimed = new Set<string>();
  for (const from of files) {
    const stat = fs.lstatSync(path.join(root, from));
    let to = legacyTarget(from);
    const existingStat = exists(path.join(root, to)) ? fs.lstatSync(path.join(root, to)) : null;
    const existing = existingStat
      ? { bytes: existingStat.size, modifiedAt: existingStat.mtime.toISOString() }
      : null;
    let action: LegacyMove['action'] = 'move';
    if (existingStat) {
      const same =
        existingStat.isFile() &&
        stat.isFile() &&
        existingStat.size === stat.size &&
        (await sha256File(path.join(root, from))) === (await sha256File(path.join(root, to)));
      action = same
        ? 'drop-identical'
        : settleConflict(resolution, choices[from], stat.mtimeMs, existingStat.mtimeMs);
      if (action === 'keep-both') {
        to = keepBothName(to, (c) => claimed.has(c) || exists(path.join(root, c)));
      }
    }
    claimed.add(to);
    moves.push({
      from,
      to,
      action,
      bytes: stat.size,
      legacyModifiedAt: stat.mtime.toISOString(),
      existing,
    });
  }
  const disk = await fs.promises.statfs(root);
  const bytes = moves.reduce((sum, move) => sum + move.bytes, 0);
  return {
    moves,
    unresolved: moves.filter((move) => move.action === 'conflict').length,
    files: moves.length,
    bytes,
    bytesToCopy: sameFilesystem(root) ? 0 : bytes,
    freeBytes: disk.bavail * disk.bsize,
    resolution,
  };
}

/** Whether data/ and local_data/ sit on one filesystem, so every move is a rename. */
function sameFilesystem(root: string): boolean {
  try {
    const legacy = fs.statSync(path.join(root, layout.legacyData)).dev;
    const target = path.join(root, 'local_data');
    const dev = fs.statSync(exists(target) ? target : root).dev;
    return legacy === dev;
  } catch {
    return true;
  }
}
