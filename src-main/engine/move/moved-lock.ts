/**
 * The data lock of the job that renamed the folder, carried along by the rename.
 *
 * Note: while Tend's state sits in the data folder (`.tend/locks/`), renaming the folder takes
 * the moving job's own lock with it, where its release (by path) cannot find it and the folder
 * would stay locked by a process that is done with it. This clears that lock, and only when
 * this very process holds it; once the state lives outside the folder there is nothing to clear.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TEND_DIR } from '../root/category-rules';

/** Removes the data lock of this process carried into `root` by a rename; true when it did. */
export async function clearCarriedLock(root: string): Promise<boolean> {
  const locks = path.join(root, TEND_DIR, 'locks');
  const ownerFile = path.join(locks, 'data.owner.json');
  let owner: { host?: unknown; pid?: unknown };
  try {
    owner = JSON.parse(await fs.readFile(ownerFile, 'utf8')) as typeof owner;
  } catch {
    return false;
  }
  if (owner.host !== os.hostname() || owner.pid !== process.pid) return false;
  await fs.rm(path.join(locks, 'data.lock'), { recursive: true, force: true });
  await fs.rm(ownerFile, { force: true });
  return true;
}
