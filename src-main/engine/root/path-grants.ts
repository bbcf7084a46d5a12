import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  accessesOfPurpose,
  PATH_HANDLE_PREFIX,
  type PathAccess,
  type PickPurpose,
} from '../../../src-shared/models/paths';

/** A folder or file the person chose in the desktop's own dialog, and what for. */
export interface PathGrant {
  readonly path: string;
  readonly purpose: PickPurpose;
}

/** How many picks are remembered; the oldest are forgotten first. */
const MAX_GRANTS = 64;

/**
 * What the person picked in the desktop's dialogs this session: each pick gets an opaque
 * handle the renderer passes back instead of a path, and the engine resolves only handles it
 * gave out, each for the purpose it was picked for. Lives as long as the engine; nothing is
 * written anywhere.
 */
export class PathGrants {
  private readonly grants = new Map<string, PathGrant>();

  /** Records a pick and answers its handle. */
  grant(picked: string, purpose: PickPurpose): string {
    const handle = `${PATH_HANDLE_PREFIX}${randomBytes(16).toString('hex')}`;
    this.grants.set(handle, { path: path.resolve(picked), purpose });
    while (this.grants.size > MAX_GRANTS) {
      this.grants.delete(this.grants.keys().next().value!);
    }
    return handle;
  }

  /** The pick a handle stands for, or null when this engine never gave it out. */
  resolve(handle: string): PathGrant | null {
    return this.grants.get(handle) ?? null;
  }

  /** Whether `candidate` itself was picked this session for a purpose that allows `access`. */
  picked(candidate: string, access: PathAccess): boolean {
    const resolved = path.resolve(candidate);
    for (const grant of this.grants.values()) {
      if (grant.path === resolved && accessesOfPurpose[grant.purpose].includes(access)) {
        return true;
      }
    }
    return false;
  }
}
