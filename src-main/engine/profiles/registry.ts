/**
 * Every profile Tend knows, and the questions asked of all of them at once: which one a folder
 * is, and which one an id names. A new profile is one line in `profiles` (see profile.ts).
 */
import type { ProfileDetection, ProfileInfo } from '../../../src-shared/models/profiles';
import { TendFailure } from '../../../src-shared/errors';
import { detectProfiles } from './detection';
import { analyticsProfile } from './analytics/analytics-profile';
import { entityRagProfile } from './entity-rag/entity-rag-profile';
import { memorySystemProfile } from './memory-system/memory-system-profile';
import { anythingLlmProfile } from './anythingllm/anythingllm-profile';
import { janProfile } from './jan/jan-profile';
import { nativeProfile } from './native/native-profile';
import { postgresAppProfile } from './postgres-app/postgres-app-profile';
import { ollamaProfile } from './ollama/ollama-profile';
import { openWebuiProfile } from './open-webui/open-webui-profile';
import type { Profile } from './profile';

/** The profiles, in the order `tend profiles list` shows them. */
export const profiles: ReadonlyArray<Profile> = [
  nativeProfile,
  memorySystemProfile,
  entityRagProfile,
  analyticsProfile,
  openWebuiProfile,
  anythingLlmProfile,
  ollamaProfile,
  janProfile,
  postgresAppProfile,
];

/** The profile a new root gets when nobody says otherwise (`tend init`, `tend demo`). */
export const DEFAULT_PROFILE_ID = nativeProfile.id;

/** The profile of an id, or undefined. */
export function findProfile(id: string): Profile | undefined {
  return profiles.find((profile) => profile.id === id);
}

/** The profile of an id; PROFILE_UNKNOWN (with the ids there are) otherwise. */
export function profileById(id: string): Profile {
  const found = findProfile(id);
  if (!found) {
    throw new TendFailure(
      'PROFILE_UNKNOWN',
      `Tend knows no profile ${JSON.stringify(id)}. The profiles are: ${profiles.map((profile) => profile.id).join(', ')} (tend profiles list).`,
      { known: profiles.map((profile) => profile.id) },
    );
  }
  return found;
}

/** Which profile a folder is, over every profile (detection.ts). Reads only. */
export function detectProfile(folder: string): Promise<ProfileDetection> {
  return detectProfiles(folder, profiles);
}

/** A profile as the UI and `--json` see it. */
export function describeProfile(profile: Profile): ProfileInfo {
  return {
    id: profile.id,
    name: profile.name,
    appName: profile.appName,
    summary: profile.summary,
    markers: profile.markers.map(({ path, what, shape, weight }) => ({
      path,
      what,
      shape,
      weight,
    })),
    stores: profile.stores.map((store) => ({
      id: store.id,
      kind: store.kind,
      title: store.title,
      paths: store.paths,
      category: store.category,
      origin: store.origin,
      capture: store.capture,
      validation: store.validation,
    })),
    scopes: profile.scopes.map(({ id, singular, plural, description }) => ({
      id,
      singular,
      plural,
      description,
    })),
    runningApp: profile.runningApp,
    dataLocation: profile.dataLocation,
    hasDemo: profile.demo !== null,
  };
}
