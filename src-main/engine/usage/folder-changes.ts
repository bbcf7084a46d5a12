import { TEND_DIR } from '../root/category-rules';

/** One change a file watcher saw: an absolute path and what happened to it. */
export interface WatchedChange {
  readonly path: string;
  readonly type: 'create' | 'update' | 'delete';
}

/** What an update must look at again: root-relative folders and files, or the whole root. */
export interface FolderChanges {
  /** Folders whose entries changed ('' is the root), and created or deleted paths themselves. */
  readonly folders: Set<string>;
  /** Paths written in place: only they are lstat-ed again (a folder among them is listed). */
  readonly files: Set<string>;
  /** The watcher could not say where (lost events, a name it could not decode): rescan. */
  rescan: boolean;
}

/** No changes yet. */
export function noChanges(): FolderChanges {
  return { folders: new Set(), files: new Set(), rescan: false };
}

/**
 * Adds what a watcher saw under `root` to `into`. A path created or deleted: the folder holding
 * it (its entries changed) and the path itself (when it is a folder, it is new, gone or
 * renamed: it is listed again rather than taken from the last scan). A path updated (written
 * in place): that path alone. Tend's own
 * `.tend/` and paths outside the root are left out; a name the watcher could not decode
 * (U+FFFD) cannot be matched with the scan's exact names, so it asks for a rescan.
 */
export function addChanges(
  into: FolderChanges,
  root: string,
  changes: ReadonlyArray<WatchedChange>,
): FolderChanges {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  for (const change of changes) {
    if (change.path === root || change.path === prefix) {
      into.folders.add('');
      continue;
    }
    if (!change.path.startsWith(prefix)) continue;
    const relative = change.path.slice(prefix.length).replace(/\/+$/, '');
    if (relative === '' || relative === TEND_DIR || relative.startsWith(`${TEND_DIR}/`)) continue;
    if (relative.includes('\uFFFD')) {
      into.rescan = true;
      continue;
    }
    if (change.type === 'update') {
      into.files.add(relative);
      continue;
    }
    const slash = relative.lastIndexOf('/');
    into.folders.add(slash === -1 ? '' : relative.slice(0, slash));
    into.folders.add(relative);
  }
  return into;
}
