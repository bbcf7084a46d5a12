/**
 * Whether a folder is an assistant's: Tend manages a folder only when it made it (`tend init`,
 * `tend demo`), looked after it before (its `.tend/` is there), finds the assistant's own
 * layout in it, or the person adopts it after seeing what was found. Reads only: looking at a
 * folder never writes into it.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FolderFindings, FolderKind, FolderMarker } from '../../../src-shared/models/root';
import { ARCHIVE_SUFFIX, isBackupId } from '../backup/backup-naming';
import { layout } from './layout';
import { countOf } from '../../../src-shared/language/counts';

/** Which layout a marker proves; `null` markers are shown but prove nothing alone. */
type Proves = 'managed' | 'native' | 'legacy' | null;

interface MarkerRule {
  /** Root-relative; a folder ends in `/`. */
  readonly path: string;
  readonly what: string;
  readonly proves: Proves;
}

/**
 * What Tend looks for, from the native layout (DESIGN §3) and the old `data/` layout that the
 * legacy migration moves (maintenance/legacy-plan.ts). A `config/` or `logs/` folder alone is
 * far too common to prove anything.
 */
export const folderMarkers: ReadonlyArray<MarkerRule> = [
  {
    path: `${layout.tend}/`,
    what: "Tend's own state: Tend looked after it before",
    proves: 'managed',
  },
  { path: layout.assistantDb, what: "the assistant's database", proves: 'native' },
  { path: `${layout.vectorStore}/`, what: "the assistant's vector indexes", proves: 'native' },
  { path: `${layout.documents}/`, what: "the assistant's uploaded documents", proves: 'native' },
  { path: 'data/api_storage/', what: "the old layout's entity and chat stores", proves: 'legacy' },
  { path: 'data/vector_indexes/', what: "the old layout's vector indexes", proves: 'legacy' },
  { path: `${layout.models}/`, what: 'model files', proves: null },
  { path: `${layout.logs}/`, what: 'logs', proves: null },
  { path: `${layout.config}/`, what: 'a config folder', proves: null },
  { path: 'data/uploads/', what: "the old layout's uploads", proves: null },
];

/** How many top-level names the findings list. */
const NAMES_SHOWN = 12;

/** The kind of folder the markers found make it: the strongest proof wins. */
export function folderKind(
  found: ReadonlyArray<{ proves: Proves }>,
  topLevelEntries: number,
): FolderKind {
  for (const kind of ['managed', 'native', 'legacy'] as const) {
    if (found.some((marker) => marker.proves === kind)) return kind;
  }
  return topLevelEntries === 0 ? 'empty' : 'unknown';
}

/** Whether a kind of folder is managed without asking. */
export function isAssistantKind(kind: FolderKind): boolean {
  return kind === 'managed' || kind === 'native' || kind === 'legacy';
}

async function markerPresent(folder: string, rule: MarkerRule): Promise<boolean> {
  const wantsFolder = rule.path.endsWith('/');
  const full = path.join(folder, rule.path);
  // Tend's own state must be a real folder; the assistant's may be links to another disk.
  const stat = await (rule.proves === 'managed' ? fs.lstat(full) : fs.stat(full)).catch(() => null);
  if (!stat) return false;
  return wantsFolder ? stat.isDirectory() : stat.isFile();
}

/**
 * Looks at a folder (which must exist) and says what Tend found: its markers, what sits at
 * its top, backup archives, and the policy's refusal passed in by the caller. A folder the
 * policy refuses is not looked into at all: its names are nobody's business here.
 */
export async function inspectFolder(
  folder: string,
  refusal: string | null,
): Promise<FolderFindings> {
  if (refusal !== null) {
    return {
      path: folder,
      kind: 'unknown',
      isAssistantFolder: false,
      markers: folderMarkers.map(({ path: marker, what }) => ({
        path: marker,
        what,
        present: false,
      })),
      topLevel: { folders: 0, files: 0, names: [] },
      backupArchives: 0,
      refusal,
    };
  }
  const entries: Dirent[] = await fs.readdir(folder, { withFileTypes: true });
  const names = entries.map((entry) => entry.name).sort((a, b) => a.localeCompare(b));
  const markers: Array<FolderMarker & { proves: Proves }> = [];
  for (const rule of folderMarkers) {
    markers.push({ ...rule, present: await markerPresent(folder, rule) });
  }
  const kind = folderKind(
    markers.filter((marker) => marker.present),
    entries.length,
  );
  const backupArchives = names.filter(
    (name) => name.endsWith(ARCHIVE_SUFFIX) && isBackupId(name.slice(0, -ARCHIVE_SUFFIX.length)),
  ).length;
  return {
    path: folder,
    kind,
    isAssistantFolder: isAssistantKind(kind),
    markers: markers.map(({ path: marker, what, present }) => ({ path: marker, what, present })),
    topLevel: {
      folders: entries.filter((entry) => entry.isDirectory()).length,
      files: entries.filter((entry) => !entry.isDirectory()).length,
      names: names.slice(0, NAMES_SHOWN),
    },
    backupArchives,
    refusal,
  };
}

/** The findings in a few sentences, for the CLI and error messages (one a line by default). */
export function describeFindings(findings: FolderFindings, separator = '\n'): string {
  const found = findings.markers.filter((marker) => marker.present);
  const { folders, files, names } = findings.topLevel;
  const more = folders + files - names.length;
  const lines = [
    found.length === 0
      ? "Tend found nothing of an assistant's here."
      : `Tend found ${found.map((marker) => `${marker.path} (${marker.what})`).join(', ')}.`,
    folders + files === 0
      ? 'The folder is empty.'
      : `At its top: ${folders} folder${folders === 1 ? '' : 's'} and ${files} file${files === 1 ? '' : 's'}: ${names.join(', ')}${more > 0 ? `, … ${more} more` : ''}.`,
  ];
  if (findings.backupArchives > 0) {
    lines.push(`It holds ${countOf(findings.backupArchives, 'Tend backup archive')}.`);
  }
  return lines.join(separator);
}
