/**
 * The pages' words for the open folder's profile: what a partial restore can name (collections,
 * entities, workspaces, threads), what the stores page is called, what to stop before a
 * restore. Pure functions of the profile description (src-shared/models/profiles.ts), so every
 * page says the same and a test pins each sentence.
 */
import type {
  ProfileInfo,
  ProfileScopeInfo,
  StoreFindingInfo,
  SurveyScope,
} from '../../../../src-shared/models/profiles';
import { formatCount } from '../../lib/format';

/** Each scope as a restore names it: "one collection", "one entity". */
function scopeChoices(scopes: ReadonlyArray<ProfileScopeInfo>): string[] {
  return scopes.map((scope) => `one ${scope.singular}`);
}

/** "a, b or c". */
export function listWithOr(items: ReadonlyArray<string>): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`;
}

/** "a, b and c". */
export function listWithAnd(items: ReadonlyArray<string>): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/**
 * The Restore page's intro: what a restore can bring back, in the profile's scopes ("one
 * entity" on entity-rag; nothing of collections where there are none), and the undo.
 */
export function restoreIntro(profile: ProfileInfo | null): string {
  const what = listWithOr(['everything', ...scopeChoices(profile?.scopes ?? []), 'a single file']);
  return `Bring back ${what} from a backup. What a restore replaces or removes goes into a safety snapshot first, so the restore can be undone.`;
}

/** The Backups page's intro: archives of the app's data ("Open WebUI's data"). */
export function backupsIntro(profile: ProfileInfo | null, encrypted = false): string {
  const whose = profile ? possessive(profile.appName) : 'the folder’s';
  return encrypted
    ? `Encrypted snapshots and checksummed archives of ${whose} data, on a schedule and on demand.`
    : `Checksummed archives of ${whose} data, on a schedule and on demand.`;
}

/** "the assistant's", "Open WebUI's", "Ollama's". */
export function possessive(name: string): string {
  return name.endsWith('s') ? `${name}’` : `${name}’s`;
}

/** The app's name at the start of a sentence: "The assistant", "Open WebUI". */
export function capitalised(name: string): string {
  return name.length === 0 ? name : `${name[0]!.toUpperCase()}${name.slice(1)}`;
}

/** What to do before a restore: "Stop Open WebUI before you start." */
export function stopAppFirst(profile: ProfileInfo | null): string {
  return `Stop ${profile?.appName ?? 'the app that uses this folder'} before you start.`;
}

/** Whether the profile's folder holds vector indexes Tend manages (the native HNSW ones). */
export function managesIndexes(profile: ProfileInfo): boolean {
  return profile.stores.some((store) => store.kind === 'hnswlib');
}

/** The title of the page of the folder's stores: "Indexes" where Tend manages them, else "Stores". */
export function storesPageTitle(profile: ProfileInfo): string {
  return managesIndexes(profile) ? 'Indexes' : 'Stores';
}

/** The intro of that page: the profile's stores by name, and what their check looks for. */
export function storesIntro(profile: ProfileInfo): string {
  if (managesIndexes(profile)) {
    return `${capitalised(possessive(profile.appName))} vector indexes, rebuilt from its database whenever they need it, and the check of every store it keeps.`;
  }
  const titles = profile.stores.map((store) => store.title);
  return titles.length === 0
    ? `${capitalised(possessive(profile.appName))} data, checked for damage and for space nothing uses.`
    : `${capitalised(possessive(profile.appName))} stores — ${listWithAnd(titles)} — each checked for damage and for space nothing uses.`;
}

/** A count in a scope's own words: "1 entity", "3 entities", "0 workspaces". */
export function scopeCount(scope: Pick<SurveyScope, 'count' | 'singular' | 'plural'>): string {
  return `${formatCount(scope.count)} ${scope.count === 1 ? scope.singular : scope.plural}`;
}

/** "This backup holds no entities." */
export function backupHoldsNone(scope: Pick<ProfileScopeInfo, 'plural'>): string {
  return `This backup holds no ${scope.plural}.`;
}

/** A detection's confidence in words: "certain", "92% sure". */
export function confidenceText(confidence: number): string {
  if (confidence >= 0.995) return 'certain';
  return `${Math.round(confidence * 100)}% sure`;
}

/** How a store check's severity reads as a badge. */
export const severityLabel: Readonly<Record<StoreFindingInfo['severity'], string>> = {
  problem: 'Damaged',
  reclaimable: 'Space to reclaim',
  notice: 'Worth knowing',
};
