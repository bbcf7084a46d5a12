/**
 * The path gate: every path that crosses the contract is checked here, before the handler
 * runs. The channels mark their path fields (`pathField` in src-shared/models/paths.ts); the
 * gate finds them by walking the input schema, so a new path field is checked without a line
 * of code here. The decisions are path-policy.ts's; this module adds the I/O at the edge
 * (links, what is there) and the desktop's capabilities.
 *
 * - The desktop app has a native picker: a path there must be a handle the picker gave out
 *   (or a path it picked this session, or one the person set up before: the open and recent
 *   roots, the backup destination and the folders its backups live in). A typed string is
 *   refused, so a compromised page cannot name a file of its own choosing.
 * - The web host and the CLI have no picker: they take typed paths, but only absolute ones,
 *   never in system folders, Tend's state or the home's hidden entries; an export never
 *   replaces a file unless the input says `replace`, and no parent folder is made silently.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { invokeChannels, type Channel } from '../../../src-shared/contract';
import { TendFailure } from '../../../src-shared/errors';
import {
  accessesOfPurpose,
  collectPathFields,
  isPathHandle,
  mapPathValues,
  type FieldLocation,
  type PathAccess,
  type PathFieldEntry,
  type PathValue,
} from '../../../src-shared/models/paths';
import { isWithin, resolveThroughLinks } from './confine';
import type { PathGrants } from './path-grants';
import { typedPathRefusal, type PathEnvironment, type PathUse } from './path-policy';

/** How a call reached the engine: typed paths (web host, CLI) or the desktop's picks. */
export type PathTransport = 'typed' | 'desktop';

/** A folder the person set up before, and what it may be used for without a new pick. */
export interface ConfiguredPlace {
  readonly path: string;
  readonly accesses: ReadonlyArray<PathAccess>;
}

/** What the gate needs of the engine. */
export interface PathGateHost {
  readonly grants: PathGrants;
  readonly rootPath: string | null;
  /** Where the open root's safety snapshots are kept (in Tend's state), or null. */
  readonly snapshotsFolder: string | null;
  pathEnvironment(): PathEnvironment;
  /** The open root's backup destination in settings, or null. */
  currentDestination(): Promise<string | null>;
  /** The places a desktop call may name without a pick. */
  configuredPlaces(): Promise<ReadonlyArray<ConfiguredPlace>>;
}

/** Accesses whose place must be the configured one itself, not something inside it. */
const exactAccesses: ReadonlyArray<PathAccess> = ['root', 'destination'];

function refuse(message: string): TendFailure {
  return new TendFailure('PATH_NOT_ALLOWED', message);
}

/**
 * A refusal that names the field it is about (`details.issues`, as SETTINGS_INVALID does), so
 * a form shows it beside the field that holds the path rather than above the whole form.
 */
function aboutField(error: unknown, at: FieldLocation): unknown {
  if (!(error instanceof TendFailure) || error.details !== undefined) return error;
  const field = at.filter((key) => key !== '*').join('.');
  return new TendFailure(error.code, error.message, {
    issues: [{ path: field, message: error.message }],
  });
}

/** Every channel's marked path fields, found once from its input schema. */
export function channelPathFields(channel: Channel): ReadonlyArray<PathFieldEntry> {
  let fields = fieldsCache.get(channel);
  if (!fields) {
    fields = collectPathFields(invokeChannels[channel].input);
    fieldsCache.set(channel, fields);
  }
  return fields;
}
const fieldsCache = new Map<Channel, ReadonlyArray<PathFieldEntry>>();

/** Checks and resolves the path fields of a parsed input; see the module comment. */
export class PathGate {
  constructor(private readonly host: PathGateHost) {}

  /**
   * The input with every path field checked (and a desktop handle replaced by its path), or a
   * TendFailure: PATH_NOT_ALLOWED, PATH_EXISTS or PATH_PARENT_MISSING.
   */
  async check(channel: Channel, input: unknown, transport: PathTransport): Promise<unknown> {
    const fields = channelPathFields(channel);
    let checked = input;
    for (const field of fields) {
      try {
        checked = await mapPathValues(checked, [field], (found) =>
          this.checkValue(found, transport),
        );
      } catch (error) {
        throw aboutField(error, field.at);
      }
    }
    return checked;
  }

  private async checkValue(found: PathValue, transport: PathTransport): Promise<string> {
    const { value, access } = found;
    const isId = access === 'backup-ref' && !isPathHandle(value) && !path.isAbsolute(value);
    let target = value;
    // Whether the person chose this very path in a dialog (a save dialog asked about replacing).
    let picked = false;
    if (isPathHandle(value)) {
      if (transport !== 'desktop') {
        throw refuse('A picked-folder handle only works in the desktop app; type the path.');
      }
      const grant = this.host.grants.resolve(value);
      if (!grant) throw refuse('That choice is no longer valid. Choose the folder or file again.');
      if (!accessesOfPurpose[grant.purpose].includes(access)) {
        throw refuse(`${grant.path} was chosen for something else. Choose it again for this.`);
      }
      target = grant.path;
      picked = true;
    } else if (transport === 'desktop' && !isId) {
      picked = this.host.grants.picked(value, access);
      if (!picked && !(await this.isConfigured(value, access))) {
        throw refuse(
          `Choose ${value} with Browse…: the desktop app uses only folders and files picked in its own dialogs or set up in Settings.`,
        );
      }
    }
    // An id names a backup in the history; the root policy decides about roots (engine.ts).
    if (isId || access === 'root' || access === 'new-root') return target;
    await this.checkTyped(target, access, found.holder, picked);
    return target;
  }

  private async isConfigured(candidate: string, access: PathAccess): Promise<boolean> {
    if (!path.isAbsolute(candidate)) return false;
    const resolved = path.resolve(candidate);
    for (const place of await this.host.configuredPlaces()) {
      if (!place.accesses.includes(access)) continue;
      const exact = exactAccesses.includes(access);
      if (exact ? path.resolve(place.path) === resolved : isWithin(place.path, resolved)) {
        return true;
      }
    }
    return false;
  }

  private async checkTyped(
    target: string,
    access: PathAccess,
    holder: Readonly<Record<string, unknown>>,
    picked: boolean,
  ): Promise<void> {
    const env = this.host.pathEnvironment();
    const root = this.host.rootPath;
    // Safety snapshots are Tend's own backups, kept in its state: a restore may read them.
    const snapshots = this.host.snapshotsFolder;
    const ownSnapshot =
      access === 'backup-ref' && snapshots !== null && isWithin(snapshots, path.resolve(target));
    const mode = useOf(access);
    const refusal = ownSnapshot
      ? null
      : (typedPathRefusal(target, mode, env, root) ??
        typedPathRefusal(await resolveThroughLinks(target), mode, env, root));
    if (refusal !== null) throw refuse(`${refusal} Choose another place.`);

    switch (access) {
      case 'read-file':
      case 'backup-ref': {
        const stat = await fs.stat(target).catch(() => null);
        // A pipe or a device would block a reader or feed it without end.
        if (stat && !stat.isFile() && !stat.isDirectory()) {
          throw refuse(`${target} is not a regular file.`);
        }
        return;
      }
      case 'write-file': {
        await requireParent(target);
        const stat = await fs.lstat(target).catch(() => null);
        if (!stat) return;
        if (!stat.isFile()) throw refuse(`${target} exists and is not a regular file.`);
        if (holder.replace !== true && !picked) {
          throw new TendFailure(
            'PATH_EXISTS',
            `${target} already exists. Choose another name, or say to replace it (tend: --force).`,
          );
        }
        return;
      }
      case 'write-folder':
        return requireParent(target);
      case 'destination': {
        // Saving other settings must not fail because the backup drive is unplugged now.
        const current = await this.host.currentDestination();
        if (current !== null && path.resolve(current) === path.resolve(target)) return;
        return requireParent(target);
      }
      case 'read-folder':
      case 'root':
      case 'new-root':
        return;
    }
  }
}

/** What an access does with its path, for the policy. */
function useOf(access: PathAccess): PathUse {
  switch (access) {
    case 'read-file':
    case 'read-folder':
    case 'backup-ref':
    case 'root':
    case 'new-root':
      return 'read';
    case 'write-file':
    case 'write-folder':
      return 'export';
    case 'destination':
      // Inside the data folder it is refused by the backup side, with its own code.
      return 'write';
  }
}

/** Refuses a path whose folder does not exist: Tend never makes parents silently. */
async function requireParent(target: string): Promise<void> {
  const parent = path.dirname(path.resolve(target));
  const stat = await fs.stat(parent).catch(() => null);
  if (!stat?.isDirectory()) {
    throw new TendFailure(
      'PATH_PARENT_MISSING',
      `The folder ${parent} that would hold ${path.basename(target)} does not exist. Create it first, or choose another place.`,
    );
  }
}
