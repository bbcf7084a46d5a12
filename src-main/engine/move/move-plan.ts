/**
 * The plan of a move, before anything happens: the target checked (new or empty, outside the
 * folder and not holding it, a real folder, writable, with room for everything plus a
 * margin), the app checked not to run, and the changes to how the app finds its data.
 */
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import { formatBytes } from '../../../src-shared/language/bytes';
import type { MoveCheckName, MovePlan, MoveRefusal } from '../../../src-shared/models/move';
import type { ProfiledRoot } from '../profiles/profiled-root';
import { diskSpace, spaceMargin } from '../fs/free-space';
import { runningProcesses } from '../profiles/running-app';
import { plannedChanges, readSettingsChanges } from './config-changes';
import { moveCheckList, type CheckFinding } from './plan-checks';
import { overlapRefusal, relateTarget, resolveTarget, type ResolvedTarget } from './move-target';
import { walkMoveTree, type MoveTree } from './move-tree';

/** What a plan may be told instead of asking the system (tests: a full disk, a running app). */
export interface MovePlanProbes {
  /** Free bytes at a folder (default: statfs). */
  freeBytes?: (folder: string) => Promise<number>;
  /** The names of the processes running now (default: the system's list). */
  processNames?: () => ReadonlyArray<string>;
  /**
   * Refuses a folder that can never be a data folder (the engine's root admission: a system
   * folder, the home, a backup destination …); the target becomes the data folder.
   */
  refuseRoot?: (folder: string) => Promise<void>;
}

/** A plan with what the apply needs of it. */
export interface PlannedMove {
  readonly plan: MovePlan;
  readonly tree: MoveTree;
  readonly target: ResolvedTarget | null;
}

async function statfsFree(folder: string): Promise<number> {
  return (await diskSpace(folder)).freeBytes;
}

/** Plans moving `root` to `target` (absolute). Reads only. */
export async function planMove(
  root: ProfiledRoot,
  target: string,
  probes: MovePlanProbes = {},
): Promise<PlannedMove> {
  const refusals: MoveRefusal[] = [];
  const warnings: string[] = [];
  const findings: Partial<Record<MoveCheckName, CheckFinding>> = {};
  const refuse = (failure: TendFailure, check?: MoveCheckName) => {
    refusals.push({ code: failure.code, message: failure.message });
    if (check) findings[check] = { outcome: 'refused', detail: failure.message };
  };
  const pass = (check: MoveCheckName, detail: string) => {
    findings[check] = { outcome: 'passed', detail };
  };
  const source = root.path;
  const profile = root.profile;

  let resolved: ResolvedTarget | null = null;
  // The plain comparison first: a target inside the folder is refused even before it exists.
  const plainOverlap = overlapRefusal(relateTarget(source, path.resolve(target)), source);
  if (plainOverlap) refuse(plainOverlap, 'place');
  else {
    try {
      resolved = await resolveTarget(target);
    } catch (error) {
      if (!(error instanceof TendFailure)) throw error;
      refuse(error, 'empty');
    }
  }
  if (resolved) {
    const overlap = overlapRefusal(relateTarget(source, resolved.real), source);
    const forbidden = overlap
      ? null
      : await (probes.refuseRoot?.(resolved.real) ?? Promise.resolve()).then(
          () => null,
          (error: unknown) => {
            if (error instanceof TendFailure) return error;
            throw error;
          },
        );
    if (overlap ?? forbidden) {
      refuse((overlap ?? forbidden)!, 'place');
      resolved = null;
    } else {
      pass('place', `${resolved.real} is outside ${source} and does not hold it.`);
      if (resolved.exists && resolved.entries > 0) {
        refuse(
          new TendFailure(
            'MOVE_TARGET_NOT_EMPTY',
            `${target} already holds ${resolved.entries} ${resolved.entries === 1 ? 'entry' : 'entries'}. Tend moves only into a new or empty folder, so nothing there is ever overwritten or deleted.`,
          ),
          'empty',
        );
      } else {
        pass(
          'empty',
          resolved.exists
            ? `${resolved.real} exists and is empty.`
            : `${resolved.real} is new: the move makes it in ${resolved.existingFolder}.`,
        );
      }
    }
  }

  const tree = await walkMoveTree(source, profile.runningApp.lockFiles);
  const App = `${profile.appName.charAt(0).toUpperCase()}${profile.appName.slice(1)}`;
  if (tree.heldLocks.length > 0) {
    refuse(
      new TendFailure(
        'MOVE_APP_RUNNING',
        `${App} seems to be running (it holds ${tree.heldLocks.slice(0, 5).join(', ')}). Stop ${profile.appName}, then move its folder.`,
      ),
      'app',
    );
  } else {
    const running = runningProcesses(profile.runningApp.processNames, probes.processNames);
    if (running.length > 0) {
      refuse(
        new TendFailure(
          'MOVE_APP_RUNNING',
          `${App} is running (its process ${running.join(', ')} is). Stop ${profile.appName}, then move its folder.`,
        ),
        'app',
      );
    } else {
      pass('app', `${App} holds no lock in the folder and no process of it is running.`);
    }
  }
  if (tree.specials.length > 0) {
    refuse(
      new TendFailure(
        'MOVE_TARGET_UNUSABLE',
        `The folder holds entries that are neither files nor folders (${tree.specials.slice(0, 5).join(', ')}): a pipe or socket cannot be copied. Remove them, then move.`,
      ),
      'files',
    );
  } else {
    pass(
      'files',
      `${tree.files.length} ${tree.files.length === 1 ? 'file' : 'files'}, ${tree.folders.length} ${tree.folders.length === 1 ? 'folder' : 'folders'} and ${tree.links.length} ${tree.links.length === 1 ? 'link' : 'links'}: ${formatBytes(tree.bytes)}.`,
    );
  }

  let method: MovePlan['method'] = 'copy';
  let freeBytes = 0;
  const marginBytes = spaceMargin(tree.bytes);
  let neededBytes = tree.bytes + marginBytes;
  if (resolved) {
    const [sourceStat, targetStat] = await Promise.all([
      fs.stat(source),
      fs.stat(resolved.existingFolder),
    ]);
    if (sourceStat.dev === targetStat.dev) {
      method = 'rename';
      neededBytes = 0;
    }
    freeBytes = await (probes.freeBytes ?? statfsFree)(resolved.existingFolder);
    try {
      await fs.access(resolved.existingFolder, fsConstants.W_OK | fsConstants.X_OK);
      pass('writable', `Tend can write in ${resolved.existingFolder}.`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      refuse(
        new TendFailure(
          'MOVE_TARGET_UNUSABLE',
          code === 'EROFS'
            ? `${resolved.existingFolder} is on a read-only disk. Choose a place Tend can write.`
            : `Tend cannot write to ${resolved.existingFolder}; check its permissions, or choose another place.`,
        ),
        'writable',
      );
    }
    if (method === 'rename') {
      pass(
        'space',
        `Same disk as the data folder: the folder is renamed, nothing is copied (${formatBytes(freeBytes)} free).`,
      );
    } else if (neededBytes > freeBytes) {
      refuse(
        new TendFailure(
          'MOVE_NO_SPACE',
          `The move needs ${formatBytes(neededBytes)} free at ${target} (${formatBytes(tree.bytes)} of data and a margin of ${formatBytes(marginBytes)}), but only ${formatBytes(freeBytes)} are free. Free some space there, or choose another disk.`,
        ),
        'space',
      );
    } else {
      pass(
        'space',
        `Needs ${formatBytes(neededBytes)} (${formatBytes(tree.bytes)} of data and a margin of ${formatBytes(marginBytes)}); ${formatBytes(freeBytes)} free.`,
      );
    }
  }
  if (tree.links.some((link) => path.isAbsolute(link.target) && link.target.startsWith(source))) {
    warnings.push(
      'Some links in the folder point into it by its full path; they are copied as they are and will point at the old place.',
    );
  }

  const to = resolved?.real ?? path.resolve(target);
  const changes = await readSettingsChanges(
    plannedChanges(profile.dataLocation, source, to, profile.appName),
    source,
    to,
  );
  return {
    plan: {
      source,
      target,
      resolvedTarget: to,
      targetExists: resolved?.exists ?? false,
      method,
      files: tree.files.length,
      folders: tree.folders.length,
      bytes: tree.bytes,
      space: { neededBytes, marginBytes, freeBytes },
      changes,
      checks: moveCheckList(findings),
      refusals,
      warnings,
    },
    tree,
    target: resolved,
  };
}
