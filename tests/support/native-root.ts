/**
 * The native profile as tests use it: its paths and compiled rules, a root seen through it,
 * and Tend's state of a root (in the state folder the engine was started with).
 */
import path from 'node:path';
import type { MaintenanceRoot } from '../../src-main/engine/maintenance/maintenance-paths';
import { nativeProfile } from '../../src-main/engine/profiles/native/native-profile';
import { nativeCategoryRules } from '../../src-main/engine/profiles/native/native-rules';
import { profiledRoot, type ProfiledRoot } from '../../src-main/engine/profiles/profiled-root';
import { categorizerFor, cleanupLookupFor } from '../../src-main/engine/root/category-rules';
import { rootStateAt } from '../../src-main/engine/root/root-state';

export { nativePaths } from '../../src-main/engine/profiles/native/native-paths';
export { nativeCategoryRules } from '../../src-main/engine/profiles/native/native-rules';

/** The category of a root-relative path under the native rules. */
export const categorize = categorizerFor(nativeCategoryRules);

/** The cleanup that may remove a root-relative path under the native rules. */
export const cleanupPlaceOf = cleanupLookupFor(nativeCategoryRules);

/** A root seen through the native profile. */
export function nativeRoot(root: string): ProfiledRoot {
  return profiledRoot(root, nativeProfile);
}

/** A native root for the maintenance functions, with its state in `stateDir`. */
export function maintenanceRootAt(root: string, stateDir: string): MaintenanceRoot {
  return { root, store: nativeProfile.assistantStore!, state: rootStateAt(stateDir) };
}

/** A state folder for a root in a test: beside it, never inside it. */
export function stateDirBeside(root: string): string {
  return path.join(path.dirname(root), `${path.basename(root)}-state`);
}
