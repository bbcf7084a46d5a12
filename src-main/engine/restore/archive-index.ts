/**
 * A backup's manifest as restore looks things up in it: its files, links and folders by
 * path, and what the backup left out (which a restore keeps).
 */
import type { BackupManifest, ManifestEntry } from '../../../src-shared/models/backup-manifest';
import { addAncestors, isUnder } from './archive-path';
import type { ManifestFile } from './backup-manifest-reader';

/** A link entry of a manifest. */
export type ManifestLink = Extract<ManifestEntry, { type: 'symlink' }>;

/** A manifest indexed by path. */
export interface ArchiveIndex {
  readonly files: ReadonlyMap<string, ManifestFile>;
  readonly links: ReadonlyMap<string, ManifestLink>;
  /** Folders listed, and every folder above a listed entry. */
  readonly dirs: ReadonlySet<string>;
  /** What the backup left out; '.' stands for the whole root. */
  readonly leftOut: ReadonlyArray<{ path: string; reason: string }>;
}

const LEFT_OUT = 'Left out: ';

/** What a manifest says it left out; from its warnings when it predates `leftOut`. */
export function leftOutOf(
  manifest: BackupManifest,
): ReadonlyArray<{ path: string; reason: string }> {
  if (manifest.leftOut) return manifest.leftOut;
  return manifest.warnings
    .filter((warning) => warning.message.startsWith(LEFT_OUT))
    .map((warning) => ({ path: warning.path, reason: warning.message.slice(LEFT_OUT.length) }));
}

/** Indexes a manifest. */
export function indexArchive(manifest: BackupManifest): ArchiveIndex {
  const files = new Map<string, ManifestFile>();
  const links = new Map<string, ManifestLink>();
  const dirs = new Set<string>();
  for (const entry of manifest.entries) {
    if (entry.type === 'file') files.set(entry.path, entry);
    else if (entry.type === 'symlink') links.set(entry.path, entry);
    else dirs.add(entry.path);
    addAncestors(entry.path, dirs);
  }
  return { files, links, dirs, leftOut: leftOutOf(manifest) };
}

/** Why the backup left out `relative` (it or a folder above it), or null when it did not. */
export function leftOutReason(index: ArchiveIndex, relative: string): string | null {
  for (const item of index.leftOut) {
    if (item.path === '.' || isUnder(item.path, relative)) return item.reason;
  }
  return null;
}

/** The targets of the archive's links, as `resolveLink` asks for them. */
export function archiveLinkAt(index: ArchiveIndex): (relative: string) => string | null {
  return (relative) => index.links.get(relative)?.target ?? null;
}
