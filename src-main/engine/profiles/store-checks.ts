/**
 * Every store of the open folder, checked, and for each damaged instance the newest backup
 * that holds it: what the Stores panel shows, with "Restore from backup…" where a restore
 * would bring it back.
 */
import type {
  StoreChecks,
  StoreInstanceCheck,
  StoreRestoreOffer,
} from '../../../src-shared/models/profiles';
import { isMadeBackup, type LocatedBackup } from '../restore/backup-locator';
import type { ProfiledRoot } from './profiled-root';
import type { InstanceCheck, Profile, StoreInstance } from './profile';

/** Whether a backup entry's root-relative path is `instance` or lies under it. */
export function holdsPath(entryPath: string, instance: string): boolean {
  return entryPath === instance || entryPath.startsWith(`${instance}/`);
}

/**
 * What to restore for a damaged instance: one id of the profile's scope it belongs to (an
 * entity's index: the entity), else the instance's own path.
 */
export function restoreTargetOf(
  profile: Pick<Profile, 'scopes'>,
  instancePath: string,
): Pick<StoreRestoreOffer, 'scope' | 'paths'> {
  for (const scope of profile.scopes) {
    const id = scope.idOf(instancePath);
    if (id) return { scope: { scope: scope.id, id }, paths: [...scope.pathsOf(id)] };
  }
  return { scope: null, paths: [instancePath] };
}

/** The newest backup a person made (no safety snapshot) that holds a file of `instancePath`. */
export function newestHolding(
  backups: ReadonlyArray<LocatedBackup>,
  instancePath: string,
): LocatedBackup | null {
  for (const backup of backups) {
    if (!isMadeBackup(backup) || !backup.sidecar) continue;
    if (backup.sidecar.entries.some((entry) => holdsPath(entry.path, instancePath))) return backup;
  }
  return null;
}

/** An instance whose check could not run at all: one problem, saying why. */
function failedCheck(error: unknown): InstanceCheck {
  const reason = (error as Error)?.message ?? String(error);
  return {
    ok: false,
    summary: `could not be checked: ${reason}`,
    facts: null,
    findings: [
      {
        code: 'FILE_UNREADABLE',
        severity: 'problem',
        path: '',
        message: `It could not be checked: ${reason}.`,
        action:
          'Check the files’ permissions and the disk; if it is damaged, restore it from a backup.',
      },
    ],
  };
}

/**
 * Checks each store instance of `root` in the profile's order (a source before what is
 * derived from it), and offers the newest backup holding each damaged one.
 */
export async function checkStores(
  root: Pick<ProfiledRoot, 'path' | 'profile'>,
  backups: () => Promise<ReadonlyArray<LocatedBackup>>,
  now: () => Date = () => new Date(),
): Promise<StoreChecks> {
  const instances: StoreInstanceCheck[] = [];
  let located: ReadonlyArray<LocatedBackup> | null = null;
  for (const store of root.profile.stores) {
    let found: ReadonlyArray<StoreInstance>;
    try {
      found = await store.instances(root.path);
    } catch (error) {
      found = [];
      instances.push({
        storeId: store.id,
        title: store.title,
        kind: store.kind,
        path: store.paths[0] ?? '',
        label: store.title,
        ...fromCheck(failedCheck(error)),
        restore: null,
      });
    }
    for (const instance of found) {
      const check = await instance.validate().catch(failedCheck);
      let restore: StoreRestoreOffer | null = null;
      if (!check.ok) {
        located ??= await backups().catch(() => []);
        const holding = newestHolding(located, instance.path);
        if (holding?.sidecar) {
          restore = {
            backupId: holding.id,
            archivePath: holding.archivePath,
            createdAt: holding.sidecar.createdAt,
            ...restoreTargetOf(root.profile, instance.path),
          };
        }
      }
      instances.push({
        storeId: store.id,
        title: store.title,
        kind: store.kind,
        path: instance.path,
        label: instance.label,
        ...fromCheck(check),
        restore,
      });
    }
  }
  return { profile: root.profile.id, checkedAt: now().toISOString(), instances };
}

function fromCheck(check: InstanceCheck): Pick<StoreInstanceCheck, 'ok' | 'summary' | 'findings'> {
  return {
    ok: check.ok,
    summary: check.summary,
    findings: check.findings.map(({ code, severity, path, message, action, bytes }) =>
      bytes === undefined
        ? { code, severity, path, message, action }
        : { code, severity, path, message, action, bytes },
    ),
  };
}
