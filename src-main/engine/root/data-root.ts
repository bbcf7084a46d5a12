import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { RootState } from './root-state';

/**
 * Checks that `candidate` is an existing folder and returns its real path; reads nothing else.
 *
 * Each way it can be wrong has its own code, so the first-run picker can say what to do.
 */
export async function existingFolder(candidate: string): Promise<string> {
  if (!path.isAbsolute(candidate)) {
    throw new TendFailure(
      'ROOT_NOT_FOUND',
      `Give the data folder as an absolute path, not ${candidate}.`,
    );
  }
  let stat;
  try {
    stat = await fs.stat(candidate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new TendFailure('ROOT_NOT_FOUND', `The data folder ${candidate} does not exist.`);
    }
    throw new TendFailure(
      'ROOT_NOT_FOUND',
      `Cannot reach ${candidate}: ${(error as Error).message}`,
    );
  }
  if (!stat.isDirectory()) {
    throw new TendFailure('ROOT_NOT_DIRECTORY', `${candidate} is a file, not a folder.`);
  }
  return fs.realpath(candidate);
}

/** Checks that `candidate` is an existing, writable folder and returns its real path. */
export async function checkRootFolder(candidate: string): Promise<string> {
  const real = await existingFolder(candidate);
  try {
    await fs.access(real, fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK);
  } catch {
    throw new TendFailure(
      'ROOT_NOT_WRITABLE',
      `Tend cannot write to ${candidate}; check its permissions.`,
    );
  }
  return real;
}

/**
 * Makes Tend's state folder of a root (and its locks folder) and proves it can be written for
 * real: root users pass `access` checks on read-only mounts.
 */
export async function ensureStateDir(state: RootState): Promise<void> {
  try {
    await fs.mkdir(state.locks, { recursive: true });
    const probe = path.join(state.dir, `.write-probe-${process.pid}`);
    await fs.writeFile(probe, '');
    await fs.rm(probe);
  } catch (error) {
    throw new TendFailure(
      'STATE_UNWRITABLE',
      `Tend cannot write its own state into ${state.dir}: ${(error as Error).message}. Check that folder (its disk, its permissions), or set TEND_STATE_DIR to another.`,
    );
  }
}

/**
 * Creates a new root at `candidate`, which must not exist yet or be an empty folder: Tend
 * never lays its layout over somebody's files. The folder that holds it must exist: a typo in
 * a parent folder's name must not quietly make a tree of folders. `folders` are made inside
 * (the profile's layout; none for a demo, which writes its own).
 */
export async function createRootFolder(
  candidate: string,
  folders: ReadonlyArray<string>,
): Promise<string> {
  if (!path.isAbsolute(candidate)) {
    throw new TendFailure(
      'ROOT_NOT_FOUND',
      `Give the new folder as an absolute path, not ${candidate}.`,
    );
  }
  const entries = await fs.readdir(candidate).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    if (error.code === 'ENOTDIR') {
      throw new TendFailure('ROOT_NOT_DIRECTORY', `${candidate} is a file, not a folder.`);
    }
    throw new TendFailure('ROOT_NOT_WRITABLE', `Cannot use ${candidate}: ${error.message}`);
  });
  if (entries && entries.length > 0) {
    throw new TendFailure(
      'ROOT_NOT_EMPTY',
      `${candidate} already holds files. Open it as an existing data folder, or choose an empty one.`,
    );
  }
  if (entries === null) {
    const parent = path.dirname(candidate);
    const parentStat = await fs.stat(parent).catch(() => null);
    if (!parentStat?.isDirectory()) {
      throw new TendFailure(
        'PATH_PARENT_MISSING',
        `The folder ${parent} that would hold ${path.basename(candidate)} does not exist. Create it first, or choose another place.`,
      );
    }
  }
  try {
    if (entries === null) await fs.mkdir(candidate);
    for (const folder of folders) {
      await fs.mkdir(path.join(candidate, folder), { recursive: true });
    }
  } catch (error) {
    throw new TendFailure(
      'ROOT_NOT_WRITABLE',
      `Cannot create ${candidate}: ${(error as Error).message}`,
    );
  }
  return fs.realpath(candidate);
}
