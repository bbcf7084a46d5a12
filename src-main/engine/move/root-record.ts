/**
 * Tend's own record of a data folder following a move: the registry's entry (root/root-registry.ts)
 * takes the new path, device and inode, so the state folder it names (catalog: jobs, history,
 * backups; settings: schedules, destination) stays the root's; the app state's last and recent
 * folders are renamed. A `<root>/.tend/` an older Tend left (migrated out when a root opens, so
 * only a folder not opened since) is copied along. The move service takes this as a function
 * (`relocateRoot`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readAppState } from '../app-state';
import { TEND_DIR } from '../root/category-rules';
import { relocateRegistered } from '../root/root-registry';
import { syncFile, syncFolder, writeFileDurably } from '../fs/durable';
import { snapshotDatabase } from '../stores/sqlite/sqlite-snapshot';

/** Moves Tend's record of a root from one path to another; idempotent. */
export type RelocateRoot = (from: string, to: string) => Promise<void>;

/** Folders of Tend's state that belong to a running process, not to the root's record. */
const NOT_CARRIED = new Set(['locks', 'staging']);

async function copyState(from: string, to: string): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    if (NOT_CARRIED.has(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyState(source, target);
    else if (entry.isFile()) {
      if (/-(wal|shm|journal)$/.test(entry.name)) continue;
      if (entry.name.endsWith('.db')) await snapshotDatabase(source, target);
      else await fs.copyFile(source, target);
      await syncFile(target);
    }
  }
  await syncFolder(to);
}

/** Today's `relocateRoot`: `.tend/` copied into the new place (whole, then renamed in), app state renamed. */
export function relocateRootRecord(appStateDir: string): RelocateRoot {
  return async (from, to) => {
    const source = path.join(from, TEND_DIR);
    const target = path.join(to, TEND_DIR);
    const sourceStat = await fs.lstat(source).catch(() => null);
    const targetExists = (await fs.lstat(target).catch(() => null)) !== null;
    // A rename carried it already (same inode), or there is none to carry.
    const same =
      sourceStat !== null &&
      targetExists &&
      (await fs.stat(target)).ino === (await fs.stat(source)).ino;
    if (sourceStat?.isDirectory() && !same) {
      const partial = `${target}.partial`;
      await fs.rm(partial, { recursive: true, force: true });
      await copyState(source, partial);
      const replaced = `${target}.replaced`;
      if (targetExists) await fs.rename(target, replaced);
      await fs.rename(partial, target);
      await fs.rm(replaced, { recursive: true, force: true });
      await syncFolder(to);
    }
    const realFrom = await fs.realpath(from).catch(() => path.resolve(from));
    const realTo = await fs.realpath(to);
    await relocateRegistered(appStateDir, realFrom, realTo);
    if (realFrom !== path.resolve(from)) {
      await relocateRegistered(appStateDir, path.resolve(from), realTo);
    }
    const state = await readAppState(appStateDir);
    const rename = (p: string) => (p === from ? to : p);
    const next = {
      ...state,
      lastRoot: state.lastRoot === null ? null : rename(state.lastRoot),
      recentRoots: [...new Set(state.recentRoots.map(rename))],
    };
    await writeFileDurably(
      path.join(appStateDir, 'tend-state.json'),
      `${JSON.stringify(next, null, 2)}\n`,
    );
  };
}
