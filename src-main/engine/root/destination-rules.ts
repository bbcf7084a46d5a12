/**
 * The checks of a backup folder that need the disk, run when Settings saves a new one: the
 * text rules (settings-rules.ts) first, then links and bind mounts, then whether Tend can
 * write there. A folder that passes here is one the first backup can use.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { destinationProblem } from '../../../src-shared/models/settings-rules';
import { isWithin } from './confine';

/** A folder's identity on disk: a bind mount shows the same one under another path. */
interface FolderId {
  readonly dev: number;
  readonly ino: number;
}

async function idOf(folder: string): Promise<FolderId | null> {
  const stat = await fs.stat(folder).catch(() => null);
  return stat ? { dev: stat.dev, ino: stat.ino } : null;
}

/** The folder and each folder above it, up to the top of the disk. */
function chainOf(folder: string): string[] {
  const chain = [folder];
  for (let at = folder; path.dirname(at) !== at; at = path.dirname(at)) {
    chain.push(path.dirname(at));
  }
  return chain;
}

async function idsOf(folders: ReadonlyArray<string>): Promise<FolderId[]> {
  const ids = await Promise.all(folders.map(idOf));
  return ids.filter((id): id is FolderId => id !== null);
}

const same = (a: FolderId, b: FolderId) => a.dev === b.dev && a.ino === b.ino;

/** The deepest folder of `folder`'s path that exists, and whether it is `folder` itself. */
async function deepestExisting(folder: string): Promise<string> {
  let at = folder;
  while (!(await fs.stat(at).catch(() => null))) {
    const parent = path.dirname(at);
    if (parent === at) return at;
    at = parent;
  }
  return at;
}

/** Whether this process can make and remove a file in `folder` (tried, not guessed). */
async function canWriteIn(folder: string): Promise<string | null> {
  try {
    const probe = await fs.mkdtemp(path.join(folder, '.tend-write-check-'));
    await fs.rmdir(probe);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

const insideMessage = (root: string) =>
  `That folder is inside the data folder (${root}) once links and mounts are followed: a backup there would be lost with the data. Choose a folder outside it, best on another drive.`;
const aroundMessage = (root: string) =>
  `That folder holds the data folder (${root}) once links and mounts are followed. Choose a folder beside it or on another drive.`;

/**
 * What is wrong with `destination` as the backup folder of `root`, or null.
 *
 * The root counts as reached when the destination's own folder or one above it is the root's
 * folder on disk (same device and inode), which also catches a bind mount of the root shown
 * under another path. A missing destination is fine when its parent exists and can be
 * written: the first backup makes it. A whole missing path is refused, never made quietly: a
 * typo, or a drive that is not connected.
 */
export async function destinationIssue(root: string, destination: string): Promise<string | null> {
  const textual = destinationProblem(destination, root);
  if (textual) return textual;
  const realRoot = await fs.realpath(root);
  const absolute = path.resolve(destination);
  const existing = await deepestExisting(absolute);
  const realExisting = await fs.realpath(existing);
  const planned = path.join(realExisting, path.relative(existing, absolute));
  if (isWithin(realRoot, planned)) return insideMessage(root);
  if (isWithin(planned, realRoot)) return aroundMessage(root);

  const rootId = await idOf(realRoot);
  const destinationChain = await idsOf(chainOf(existing));
  if (rootId && destinationChain.some((id) => same(id, rootId))) return insideMessage(root);
  const existingId = await idOf(existing);
  if (existing === absolute && existingId) {
    const rootChain = await idsOf(chainOf(realRoot));
    if (rootChain.some((id) => same(id, existingId))) return aroundMessage(root);
  }

  const stat = await fs.stat(existing);
  if (existing === absolute) {
    if (!stat.isDirectory()) return `${destination} is a file, not a folder. Choose a folder.`;
    const refused = await canWriteIn(absolute);
    return refused
      ? `Tend cannot write in ${destination} (${refused}). Choose a folder you can write to, or change its permissions.`
      : null;
  }
  const parent = path.dirname(absolute);
  if (existing !== parent) {
    return `Neither ${destination} nor the folder it would go in (${parent}) exists. Check the path, connect the drive, or make the folder first.`;
  }
  if (!stat.isDirectory()) return `${parent} is a file, not a folder. Choose a folder.`;
  const refused = await canWriteIn(parent);
  return refused
    ? `Tend cannot make ${destination}: it cannot write in ${parent} (${refused}). Choose a folder you can write to.`
    : null;
}
