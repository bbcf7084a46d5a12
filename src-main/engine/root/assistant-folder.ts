/**
 * Whether a folder is an assistant's: Tend manages a folder only when it made it (`tend init`,
 * `tend demo`), looks after it already (it is registered in Tend's state), finds one profile's
 * layout in it (profiles/detection.ts), or the person adopts it after seeing what was found.
 * Reads only: looking at a folder never writes into it.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import type { ProfileMatch } from '../../../src-shared/models/profiles';
import type { FolderFindings, FolderKind } from '../../../src-shared/models/root';
import { ARCHIVE_SUFFIX, isBackupId } from '../backup/backup-naming';
import { countOf } from '../../../src-shared/language/counts';
import { withArticle } from '../../../src-shared/language/names';
import { matchProfile, verdictOf } from '../profiles/detection';
import { findProfile, profiles } from '../profiles/registry';

/** How many top-level names the findings list. */
const NAMES_SHOWN = 12;

/** The kind of folder: managed, else what detection says, else empty or unknown. */
export function folderKind(
  managed: boolean,
  matches: ReadonlyArray<ProfileMatch>,
  topLevelEntries: number,
): FolderKind {
  if (managed) return 'managed';
  const { detected } = verdictOf(matches);
  if (detected) return 'detected';
  const [best, second] = matches;
  if (best && second && best.confidence > 0 && best.confidence === second.confidence) {
    return 'ambiguous';
  }
  return topLevelEntries === 0 ? 'empty' : 'unknown';
}

/** Whether a kind of folder is managed without asking. */
export function isAssistantKind(kind: FolderKind): boolean {
  return kind === 'managed' || kind === 'detected';
}

/** How closely a folder is looked at. */
export interface InspectOptions {
  /**
   * Match every profile even in a folder Tend manages already (the default: the person asked
   * what the folder is). When false, a managed folder where some marker of its recorded
   * profile is still there is matched against that profile only, as opening it needs; one
   * whose markers are all gone is matched against every profile again.
   */
  readonly everyProfile?: boolean;
}

/**
 * Looks at a folder (which must exist) and says what Tend found: every profile's markers,
 * what sits at its top, backup archives, and the policy's refusal passed in by the caller. A
 * folder the policy refuses is not looked into at all: its names are nobody's business here.
 * `managedAs` is the profile Tend already manages it with, when it does.
 */
export async function inspectFolder(
  folder: string,
  refusal: string | null,
  managedAs: string | null = null,
  options: InspectOptions = {},
): Promise<FolderFindings> {
  if (refusal !== null) {
    return {
      path: folder,
      kind: 'unknown',
      isAssistantFolder: false,
      profile: null,
      matches: [],
      reason: null,
      markers: [],
      topLevel: { folders: 0, files: 0, names: [] },
      backupArchives: 0,
      refusal,
    };
  }
  const entries: Dirent[] = await fs.readdir(folder, { withFileTypes: true });
  const names = entries.map((entry) => entry.name).sort((a, b) => a.localeCompare(b));
  const recorded = managedAs === null ? undefined : findProfile(managedAs);
  const own =
    recorded && options.everyProfile === false ? await matchProfile(folder, recorded) : null;
  const matches =
    own && own.confidence > 0
      ? [own]
      : await Promise.all(profiles.map((profile) => matchProfile(folder, profile)));
  matches.sort((a, b) => b.confidence - a.confidence || a.profile.localeCompare(b.profile));
  const managed = recorded !== undefined;
  const kind = folderKind(managed, matches, entries.length);
  const verdict = verdictOf(matches);
  const profile = managed
    ? (matches.find((match) => match.profile === managedAs) ?? null)
    : verdict.detected;
  const backupArchives = names.filter(
    (name) => name.endsWith(ARCHIVE_SUFFIX) && isBackupId(name.slice(0, -ARCHIVE_SUFFIX.length)),
  ).length;
  return {
    path: folder,
    kind,
    isAssistantFolder: isAssistantKind(kind),
    profile,
    matches,
    reason: managed ? null : verdict.reason,
    markers: (profile ?? matches[0])?.markers ?? [],
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
  const shown = findings.profile ?? findings.matches[0];
  const lines = [
    findings.kind === 'managed' && findings.profile
      ? `Tend looks after it already, as ${withArticle(findings.profile.name)} folder.`
      : findings.kind === 'detected' && findings.profile
        ? `It is ${withArticle(findings.profile.name)} folder (${Math.round(findings.profile.confidence * 100)}% sure).`
        : `It is not an assistant folder Tend recognises.${findings.reason ? ` ${findings.reason}` : ''}`,
    found.length === 0
      ? "Tend found nothing of an assistant's here."
      : `Tend found ${found.map((marker) => `${marker.path} (${marker.what})`).join(', ')}${shown && findings.kind !== 'detected' && findings.kind !== 'managed' ? ` (of ${shown.name})` : ''}.`,
    folders + files === 0
      ? 'The folder is empty.'
      : `At its top: ${folders} folder${folders === 1 ? '' : 's'} and ${files} file${files === 1 ? '' : 's'}: ${names.join(', ')}${more > 0 ? `, … ${more} more` : ''}.`,
  ];
  if (findings.backupArchives > 0) {
    lines.push(`It holds ${countOf(findings.backupArchives, 'Tend backup archive')}.`);
  }
  return lines.join(separator);
}
