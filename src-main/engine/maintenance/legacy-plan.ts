import fs from 'node:fs';
import path from 'node:path';
import type {
  ConflictChoice,
  ConflictResolution,
  LegacyMigrationPlan,
  LegacyMove,
} from '../../../src-shared/models/maintenance';
import type { AssistantStoreLayout } from '../profiles/profile';
import { diskSpace } from '../fs/free-space';
import type { MaintenanceRoot } from './maintenance-paths';
import { exists, sha256File } from './file-moves';
import { binaryOf, fsPath, relativeFromBinary, type RelativePath } from './raw-paths';

/**
 * Where a legacy file belongs in the new layout (seed 002's `data/`).
 *
 * Uploads are the user's documents; logs are logs; everything else (the JSON stores, the old
 * FAISS indexes) is kept whole under `internal_assistant/legacy/`, where nothing reads it but
 * nothing is lost either.
 */
export function legacyTarget(relative: string, store: AssistantStoreLayout): string {
  const prefix = `${store.legacyData}/`;
  const rest = relative.startsWith(prefix) ? relative.slice(prefix.length) : relative;
  if (rest.startsWith('uploads/')) return `${store.documents}/${rest.slice('uploads/'.length)}`;
  if (rest.startsWith('logs/')) return `${store.logs}/legacy/${rest.slice('logs/'.length)}`;
  return `${store.dir}/legacy/${rest}`;
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

/** Every file under a folder (root-relative), read as bytes so no name is lost. */
function listFiles(root: string, relative: RelativePath): RelativePath[] {
  const out: RelativePath[] = [];
  const dir = fsPath(root, relative);
  const prefix = binaryOf(relative);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })) {
    const child = relativeFromBinary(`${prefix}/${entry.name.toString('latin1')}`);
    if (entry.isDirectory()) out.push(...listFiles(root, child));
    else out.push(child);
  }
  return out.sort((a, b) => (binaryOf(a) < binaryOf(b) ? -1 : 1));
}

/** The legacy `data/` folder of a store, as a path. */
const legacyOf = (store: AssistantStoreLayout): RelativePath => ({
  text: store.legacyData,
  raw: null,
});

/** The folders under data/ (deepest last), so a rollback can put back empty ones too. */
export function listLegacyFolders(root: string, relative: RelativePath): RelativePath[] {
  const out: RelativePath[] = [relative];
  const prefix = binaryOf(relative);
  for (const entry of fs.readdirSync(fsPath(root, relative), {
    withFileTypes: true,
    encoding: 'buffer',
  })) {
    if (entry.isDirectory()) {
      out.push(
        ...listLegacyFolders(
          root,
          relativeFromBinary(`${prefix}/${entry.name.toString('latin1')}`),
        ),
      );
    }
  }
  return out;
}

/** Where a move comes from, with its bytes. */
export function moveSource(move: LegacyMove): RelativePath {
  return { text: move.from, raw: move.raw?.from ?? null };
}

/** Where a move goes, with its bytes. */
export function moveTarget(move: LegacyMove): RelativePath {
  return { text: move.to, raw: move.raw?.to ?? null };
}

/**
 * The preview of a legacy migration: every file, where it goes, what is in the way and how
 * that is settled, the bytes, and the space the moves need.
 */
export async function planLegacyMigration(
  m: MaintenanceRoot,
  resolution: ConflictResolution,
  choices: Readonly<Record<string, ConflictChoice>> = {},
): Promise<LegacyMigrationPlan> {
  const { root, store } = m;
  const legacy = legacyOf(store);
  const files = exists(path.join(root, store.legacyData)) ? listFiles(root, legacy) : [];
  const moves: LegacyMove[] = [];
  const claimed = new Set<string>();
  for (const from of files) {
    const source = fsPath(root, from);
    const stat = fs.lstatSync(source);
    // Prefixes change in the binary form, so a name that is not UTF-8 keeps its bytes.
    let toBinary = legacyTarget(binaryOf(from), store);
    let target = fsPath(root, relativeFromBinary(toBinary));
    const existingStat = exists(target) ? fs.lstatSync(target) : null;
    const existing = existingStat
      ? { bytes: existingStat.size, modifiedAt: existingStat.mtime.toISOString() }
      : null;
    let action: LegacyMove['action'] = 'move';
    if (existingStat) {
      const same =
        existingStat.isFile() &&
        stat.isFile() &&
        existingStat.size === stat.size &&
        (await sha256File(source)) === (await sha256File(target));
      action = same
        ? 'drop-identical'
        : settleConflict(resolution, choices[from.text], stat.mtimeMs, existingStat.mtimeMs);
      if (action === 'keep-both') {
        toBinary = keepBothName(
          toBinary,
          (c) => claimed.has(c) || exists(fsPath(root, relativeFromBinary(c))),
        );
        target = fsPath(root, relativeFromBinary(toBinary));
      }
    }
    claimed.add(toBinary);
    const to = relativeFromBinary(toBinary);
    moves.push({
      from: from.text,
      to: to.text,
      action,
      bytes: stat.size,
      legacyModifiedAt: stat.mtime.toISOString(),
      existing,
      ...(from.raw !== null || to.raw !== null
        ? {
            raw: {
              from: Buffer.from(binaryOf(from), 'latin1').toString('base64'),
              to: Buffer.from(toBinary, 'latin1').toString('base64'),
            },
          }
        : {}),
    });
  }
  const disk = await diskSpace(root);
  const bytes = moves.reduce((sum, move) => sum + move.bytes, 0);
  return {
    moves,
    unresolved: moves.filter((move) => move.action === 'conflict').length,
    files: moves.length,
    bytes,
    bytesToCopy: sameFilesystem(root, store) ? 0 : bytes,
    freeBytes: disk.freeBytes,
    resolution,
  };
}

/** Whether data/ and local_data/ sit on one filesystem, so every move is a rename. */
function sameFilesystem(root: string, store: AssistantStoreLayout): boolean {
  try {
    const legacy = fs.statSync(path.join(root, store.legacyData)).dev;
    const target = path.join(root, store.dir.split('/')[0] ?? store.dir);
    const dev = fs.statSync(exists(target) ? target : root).dev;
    return legacy === dev;
  } catch {
    return true;
  }
}
