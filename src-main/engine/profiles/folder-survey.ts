/**
 * What a folder holds, read as one profile: its stores with their sizes, its scopes with their
 * counts. The first run shows it before a person adopts the folder, so it reads only: store
 * instances are found by listing folders, sizes by stat, scope ids as the profile lists them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  SURVEY_LISTED_NAMES,
  type FolderSurvey,
  type SurveyScope,
  type SurveyStore,
} from '../../../src-shared/models/profiles';
import type { FolderFindings } from '../../../src-shared/models/root';
import { folderBytes } from '../stores/list-files';
import type { Profile } from './profile';

/** The bytes of one instance: a file's size, or the regular files under a folder. */
async function instanceBytes(root: string, relative: string): Promise<number> {
  const absolute = path.join(root, ...relative.split('/'));
  const stat = await fs.lstat(absolute).catch(() => null);
  if (!stat) return 0;
  if (stat.isDirectory()) return folderBytes(absolute);
  return stat.isFile() ? stat.size : 0;
}

/** Each store of `profile` in the folder: how many instances, and how many bytes they hold. */
export async function surveyStores(root: string, profile: Profile): Promise<SurveyStore[]> {
  const out: SurveyStore[] = [];
  for (const store of profile.stores) {
    const instances = await store.instances(root).catch(() => []);
    let bytes = 0;
    for (const instance of instances) bytes += await instanceBytes(root, instance.path);
    out.push({
      id: store.id,
      title: store.title,
      kind: store.kind,
      category: store.category,
      origin: store.origin.kind,
      instances: instances.length,
      bytes,
    });
  }
  return out;
}

/** Each scope of `profile` in the folder: how many ids, and the first names. */
export async function surveyScopes(root: string, profile: Profile): Promise<SurveyScope[]> {
  const out: SurveyScope[] = [];
  for (const scope of profile.scopes) {
    const items = await scope.list(root).catch(() => []);
    out.push({
      id: scope.id,
      singular: scope.singular,
      plural: scope.plural,
      count: items.length,
      names: items.slice(0, SURVEY_LISTED_NAMES).map((item) => item.name),
    });
  }
  return out;
}

/**
 * The survey of an inspected folder (root:inspect's findings, refusal already handled) as
 * `chosen`, or as the profile it is managed with or detected as when none is chosen; a folder
 * with neither is surveyed as nothing, with the reason.
 */
export async function surveyFolder(
  findings: FolderFindings,
  chosen: Profile | null,
  byId: (id: string) => Profile,
): Promise<FolderSurvey> {
  const detected = findings.isAssistantFolder ? (findings.profile?.profile ?? null) : null;
  const profile = chosen ?? (detected ? byId(detected) : null);
  const reason = detected
    ? null
    : (findings.reason ?? 'Nothing of any profile Tend knows was found.');
  if (!profile) {
    return {
      path: findings.path,
      profile: null,
      name: null,
      confidence: 0,
      detected,
      reason,
      stores: [],
      scopes: [],
    };
  }
  const match = findings.matches.find((candidate) => candidate.profile === profile.id);
  const managed = findings.kind === 'managed' && findings.profile?.profile === profile.id;
  return {
    path: findings.path,
    profile: profile.id,
    name: profile.name,
    confidence: managed ? 1 : (match?.confidence ?? 0),
    detected,
    reason,
    stores: await surveyStores(findings.path, profile),
    scopes: await surveyScopes(findings.path, profile),
  };
}
