/**
 * A data root seen through its profile: its path, its profile, the profile's rules compiled
 * once, and its assistant store if it has one. What the domains read instead of module
 * constants; `RootSession` is one, and tests and benchmarks make one with `profiledRoot`.
 */
import path from 'node:path';
import { withArticle } from '../../../src-shared/language/names';
import { TendFailure } from '../../../src-shared/errors';
import {
  categorizerFor,
  cleanupLookupFor,
  type Categorizer,
  type CleanupPlace,
} from '../root/category-rules';
import type { AssistantStoreLayout, Profile, ProfilePaths } from './profile';

/** Which cleanup may remove a root-relative path, and why (null: none may). */
export type CleanupLookup = (relativePath: string) => CleanupPlace | null;

/** A root and its profile. */
export interface ProfiledRoot {
  /** The root's real, absolute path. */
  readonly path: string;
  readonly profile: Profile;
  /** The profile's named, root-relative paths. */
  readonly paths: ProfilePaths;
  /** The category of a root-relative path under the profile's rules. */
  readonly categorize: Categorizer;
  /** The cleanup that may remove a root-relative path under the profile's rules. */
  readonly cleanupPlaceOf: CleanupLookup;
  /** Tend's assistant store of the profile (root-relative), or null. */
  readonly assistantStore: AssistantStoreLayout | null;
  /** An absolute path from a root-relative one. */
  resolve(relative: string): string;
  /**
   * The assistant store, for a feature that needs it; PROFILE_UNSUPPORTED, naming the feature
   * and the profile, when the root has none.
   */
  assistant(feature: string): AssistantStoreLayout;
}

/** The refusal of a feature the root's profile has not got. */
export function unsupported(profile: Profile, feature: string): TendFailure {
  return new TendFailure(
    'PROFILE_UNSUPPORTED',
    `${feature} is not something ${withArticle(profile.name)} folder has: this data folder is managed with the ${profile.id} profile, which has no assistant store of Tend's kind.`,
    { profile: profile.id },
  );
}

/** A root seen through `profile`. */
export function profiledRoot(root: string, profile: Profile): ProfiledRoot {
  return {
    path: root,
    profile,
    paths: profile.paths,
    // Compiled at first use (opening a root need not pay for picomatch), once per profile and
    // shared by every root of it.
    get categorize() {
      return categorizerFor(profile.categoryRules);
    },
    get cleanupPlaceOf() {
      return cleanupLookupFor(profile.categoryRules);
    },
    assistantStore: profile.assistantStore,
    resolve: (relative) => path.join(root, relative),
    assistant(feature) {
      if (!profile.assistantStore) throw unsupported(profile, feature);
      return profile.assistantStore;
    },
  };
}
