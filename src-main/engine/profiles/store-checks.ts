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
import fsp from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import { folderBytes } from '../stores/list-files';
import { isMadeBackup, type LocatedBackup } from '../restore/backup-locator';
import type { ProfiledRoot } from './profiled-root';
import type { InstanceCheck, Profile, ProfileStore, StoreInstance } from './profile';

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

/** How far a store check has come: instances checked of all, bytes read, the one being read. */
export interface StoreCheckProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  /** The sizes of the instances checked so far (a store that reports what it read counts that). */
  readonly bytesDone: number;
  /** The sizes of every instance, measured before the first is read. */
  readonly bytesTotal: number;
  readonly currentPath: string | null;
  readonly message: string | null;
}

/** What `checkStores` takes besides the root: a stop signal and a progress listener. */
export interface StoreCheckOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: StoreCheckProgress) => void;
  readonly now?: () => Date;
}

/** A store whose instances could be listed, or the reason they could not. */
type Listed =
  | { readonly store: ProfileStore; readonly found: ReadonlyArray<StoreInstance> }
  | { readonly store: ProfileStore; readonly failed: unknown };

/**
 * Checks each store instance of `root` in the profile's order (a source before what is
 * derived from it), and offers the newest backup holding each damaged one. The instances are
 * listed first so progress counts them ("3 of 12"); between two instances `signal` stops it
 * (CANCELLED), and inside one the store's own validation reads it.
 */
export async function checkStores(
  root: Pick<ProfiledRoot, 'path' | 'profile'>,
  backups: () => Promise<ReadonlyArray<LocatedBackup>>,
  options: StoreCheckOptions = {},
): Promise<StoreChecks> {
  const { signal, onProgress } = options;
  const listed: Listed[] = [];
  for (const store of root.profile.stores) {
    throwIfStopped(signal);
    try {
      listed.push({ store, found: await store.instances(root.path) });
    } catch (error) {
      listed.push({ store, failed: error });
    }
  }
  const total = listed.reduce((sum, entry) => sum + ('found' in entry ? entry.found.length : 0), 0);
  const sizes = new Map<StoreInstance, number>();
  for (const entry of listed) {
    if (!('found' in entry)) continue;
    for (const instance of entry.found) {
      throwIfStopped(signal);
      sizes.set(instance, await instanceBytes(path.join(root.path, instance.path)));
    }
  }
  const bytesTotal = [...sizes.values()].reduce((sum, bytes) => sum + bytes, 0);
  let done = 0;
  let bytesBefore = 0;
  const report = (bytesNow: number, instance: StoreInstance | null): void =>
    onProgress?.({
      filesDone: done,
      filesTotal: total,
      bytesDone: Math.min(bytesTotal, bytesBefore + bytesNow),
      bytesTotal,
      currentPath: instance?.path ?? null,
      message: instance ? `Checking ${instance.label}` : null,
    });

  const instances: StoreInstanceCheck[] = [];
  let located: ReadonlyArray<LocatedBackup> | null = null;
  for (const entry of listed) {
    const { store } = entry;
    if (!('found' in entry)) {
      instances.push({
        storeId: store.id,
        title: store.title,
        kind: store.kind,
        path: store.paths[0] ?? '',
        label: store.title,
        ...fromCheck(failedCheck(entry.failed)),
        restore: null,
      });
      continue;
    }
    for (const instance of entry.found) {
      throwIfStopped(signal);
      report(0, instance);
      let read = 0;
      const check = await instance
        .validate({
          ...(signal ? { signal } : {}),
          onProgress: (progress) => {
            read = progress.bytesDone;
            report(read, instance);
          },
        })
        .catch((error: unknown) => {
          if (signal?.aborted) throw error;
          return failedCheck(error);
        });
      done += 1;
      bytesBefore += Math.max(read, sizes.get(instance) ?? 0);
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
  report(0, null);
  const now = options.now ?? (() => new Date());
  return { profile: root.profile.id, checkedAt: now().toISOString(), instances };
}

/** The size of an instance: a file's, or the regular files' under a folder; 0 when unreadable. */
async function instanceBytes(absolute: string): Promise<number> {
  try {
    const stat = await fsp.lstat(absolute);
    if (stat.isFile()) return stat.size;
    return stat.isDirectory() ? await folderBytes(absolute) : 0;
  } catch {
    // Missing or unreadable: its check says so; the progress counts nothing for it.
    return 0;
  }
}

/** Stops a check between two instances when asked: the signal's reason, else CANCELLED. */
function throwIfStopped(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof Error
    ? signal.reason
    : new TendFailure('CANCELLED', 'The store check was cancelled.');
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
