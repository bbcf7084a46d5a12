/**
 * Which data folders Tend looks after, kept in its state directory (never in a data folder):
 * `<state>/roots/registry.json` maps each root's id to its path, its device and inode, and its
 * profile; `<state>/roots/<id>/` holds Tend's state of that root (root-state.ts).
 *
 * A root is found by its path, or, when nothing is registered at that path, by its device and
 * inode: a folder renamed or moved on the same filesystem keeps its inode, so it keeps its
 * history, and the person is told where it was (`movedFrom`). "Managed before" means
 * registered here.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import { writeFileDurably } from '../fs/durable';

/** One registered root. */
const RegisteredRootSchema = z.object({
  id: z.string().regex(/^[a-f0-9]{12,32}$/),
  path: z.string(),
  /** Device and inode of the folder (as strings: Windows file ids pass 2^53). */
  dev: z.string(),
  ino: z.string(),
  profile: z.string(),
  registeredAt: z.string(),
  /** Where the folder was before it was last found moved, and when; null if never. */
  movedFrom: z.object({ path: z.string(), at: z.string() }).nullable().default(null),
});
export type RegisteredRoot = z.infer<typeof RegisteredRootSchema>;

const RegistrySchema = z.object({
  version: z.literal(1),
  roots: z.array(RegisteredRootSchema),
});
type Registry = z.infer<typeof RegistrySchema>;

/** The folder of every root's state, under Tend's state directory. */
export function rootsDir(appStateDir: string): string {
  return path.join(appStateDir, 'roots');
}

/** The state folder of one registered root. */
export function stateDirOf(appStateDir: string, id: string): string {
  return path.join(rootsDir(appStateDir), id);
}

function registryFile(appStateDir: string): string {
  return path.join(rootsDir(appStateDir), 'registry.json');
}

/** A folder's identity on its filesystem. */
export interface FolderIdentity {
  readonly dev: string;
  readonly ino: string;
}

/** The device and inode of a folder, or null when it is not there. */
export async function folderIdentity(folder: string): Promise<FolderIdentity | null> {
  const stat = await fs.stat(folder, { bigint: true }).catch(() => null);
  return stat ? { dev: String(stat.dev), ino: String(stat.ino) } : null;
}

/** Reads the registry; a missing file is an empty one, a damaged one a clear failure. */
async function readRegistry(appStateDir: string): Promise<Registry> {
  let text: string;
  try {
    text = await fs.readFile(registryFile(appStateDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, roots: [] };
    throw new TendFailure(
      'STATE_UNWRITABLE',
      `Tend cannot read its list of data folders ${registryFile(appStateDir)}: ${(error as Error).message}.`,
    );
  }
  try {
    return RegistrySchema.parse(JSON.parse(text));
  } catch (error) {
    throw new TendFailure(
      'STATE_UNWRITABLE',
      `Tend's list of data folders ${registryFile(appStateDir)} is damaged (${(error as Error).message}). Move it away; Tend then starts a new one, and each folder's own state in ${rootsDir(appStateDir)} stays.`,
    );
  }
}

async function writeRegistry(appStateDir: string, registry: Registry): Promise<void> {
  await writeFileDurably(registryFile(appStateDir), `${JSON.stringify(registry, null, 2)}\n`);
}

/** Runs `work` holding the registry's lock, so two Tend processes never write it at once. */
async function withRegistryLock<T>(appStateDir: string, work: () => Promise<T>): Promise<T> {
  await fs.mkdir(rootsDir(appStateDir), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(rootsDir(appStateDir), {
      realpath: false,
      lockfilePath: `${registryFile(appStateDir)}.lock`,
      stale: 15_000,
      retries: { retries: 40, minTimeout: 25, maxTimeout: 250 },
    });
  } catch (error) {
    throw new TendFailure(
      'DATA_LOCKED',
      `Another Tend process is updating its list of data folders (${(error as Error).message}); try again.`,
    );
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

/** How a registered root was found for a folder. */
export interface FoundRoot {
  readonly entry: RegisteredRoot;
  /** `path`: registered at this path; `moved`: registered elsewhere, with this inode. */
  readonly how: 'path' | 'moved';
}

/**
 * The registered root a folder (its real path) is, without writing anything: the one at its
 * path, else the one with its device and inode whose old path is gone or is another folder
 * now (a move or rename on the same filesystem). Null when it is none of them.
 */
export async function findRegistered(appStateDir: string, real: string): Promise<FoundRoot | null> {
  const registry = await readRegistry(appStateDir);
  const atPath = registry.roots.find((entry) => entry.path === real);
  if (atPath) return { entry: atPath, how: 'path' };
  const identity = await folderIdentity(real);
  if (!identity) return null;
  for (const entry of registry.roots) {
    if (entry.dev !== identity.dev || entry.ino !== identity.ino) continue;
    // An inode number is reused once its folder is gone: trust it only when the old path no
    // longer holds the same folder (it was moved), never for two folders at once.
    const there = await folderIdentity(entry.path);
    if (there && there.dev === entry.dev && there.ino === entry.ino) continue;
    return { entry, how: 'moved' };
  }
  return null;
}

/** A root registered (or found) for opening, and what changed about it. */
export interface OpenedRoot {
  readonly entry: RegisteredRoot;
  readonly stateDir: string;
  /** Set when the folder was found moved just now: where it was. */
  readonly movedFrom: string | null;
}

function newId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Registers a folder (its real path) with a profile, or finds it registered and brings its
 * entry up to date: a new path after a move, a new inode when the folder at the path was
 * replaced (restored from elsewhere), the profile the person chose.
 */
export async function registerRoot(
  appStateDir: string,
  real: string,
  profile: string,
): Promise<OpenedRoot> {
  return withRegistryLock(appStateDir, async () => {
    const registry = await readRegistry(appStateDir);
    const identity = await folderIdentity(real);
    if (!identity) {
      throw new TendFailure('ROOT_NOT_FOUND', `The data folder ${real} does not exist.`);
    }
    const found = await findRegistered(appStateDir, real);
    const now = new Date().toISOString();
    let entry: RegisteredRoot;
    let movedFrom: string | null = null;
    if (!found) {
      entry = {
        id: newId(),
        path: real,
        dev: identity.dev,
        ino: identity.ino,
        profile,
        registeredAt: now,
        movedFrom: null,
      };
      registry.roots.push(entry);
    } else {
      const previous = found.entry;
      if (found.how === 'moved') movedFrom = previous.path;
      entry = {
        ...previous,
        path: real,
        dev: identity.dev,
        ino: identity.ino,
        profile,
        movedFrom: movedFrom === null ? previous.movedFrom : { path: movedFrom, at: now },
      };
      registry.roots = registry.roots.map((item) => (item.id === previous.id ? entry : item));
    }
    await writeRegistry(appStateDir, registry);
    return { entry, stateDir: stateDirOf(appStateDir, entry.id), movedFrom };
  });
}

/** Every registered root. */
export async function registeredRoots(appStateDir: string): Promise<RegisteredRoot[]> {
  return (await readRegistry(appStateDir)).roots;
}

/**
 * Tend's record of a root follows a move the person made through Tend (move/): the entry
 * registered at `from` takes the path, device and inode of `to`, so its history, schedules and
 * backups stay attached whether the folder was renamed or copied to another disk. A stale entry
 * left at `to` (a folder that was there once) is dropped from the list; its state folder stays.
 * Nothing registered at `from`: nothing to do.
 */
export async function relocateRegistered(
  appStateDir: string,
  from: string,
  to: string,
): Promise<RegisteredRoot | null> {
  return withRegistryLock(appStateDir, async () => {
    const registry = await readRegistry(appStateDir);
    const entry = registry.roots.find((item) => item.path === from);
    if (!entry) return null;
    const identity = await folderIdentity(to);
    if (!identity) {
      throw new TendFailure('ROOT_NOT_FOUND', `The data folder's new place ${to} does not exist.`);
    }
    const moved: RegisteredRoot = {
      ...entry,
      path: to,
      dev: identity.dev,
      ino: identity.ino,
      movedFrom: { path: from, at: new Date().toISOString() },
    };
    registry.roots = registry.roots
      .filter((item) => item.id === entry.id || item.path !== to)
      .map((item) => (item.id === entry.id ? moved : item));
    await writeRegistry(appStateDir, registry);
    return moved;
  });
}
