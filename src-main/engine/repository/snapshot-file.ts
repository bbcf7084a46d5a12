import { z } from 'zod';
import { goJson, goObject, type GoJsonValue } from './go-json';
import { formatGoTime, parseGoTime, type UnixNanos } from './go-time';
import type { ResticId } from './restic-id';

/**
 * A snapshot file in `snapshots/` (restic internal/restic/snapshot.go; design.rst
 * "Snapshots"): when, the root tree, the backed-up paths, host and user, tags. Tend marks its
 * own with the tag `tend` and the backup kind (`kind:critical`), which restic shows and keeps.
 */

/** A snapshot as Tend reads and writes it. */
export interface Snapshot {
  readonly time: UnixNanos;
  readonly parent?: ResticId;
  readonly tree: ResticId;
  readonly paths: ReadonlyArray<string>;
  readonly hostname?: string;
  readonly username?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly excludes?: ReadonlyArray<string>;
  readonly tags?: ReadonlyArray<string>;
  readonly original?: ResticId;
  /** Written by restic ≥ 0.17 and by Tend; older restic ignores it. */
  readonly programVersion?: string;
}

/** The snapshot's JSON (snapshot.go field order and omitempty). */
export function encodeSnapshot(snapshot: Snapshot): Buffer {
  const fields: Array<readonly [string, GoJsonValue]> = [['time', formatGoTime(snapshot.time)]];
  if (snapshot.parent) fields.push(['parent', snapshot.parent]);
  fields.push(['tree', snapshot.tree], ['paths', [...snapshot.paths]]);
  if (snapshot.hostname) fields.push(['hostname', snapshot.hostname]);
  if (snapshot.username) fields.push(['username', snapshot.username]);
  if (snapshot.uid) fields.push(['uid', snapshot.uid]);
  if (snapshot.gid) fields.push(['gid', snapshot.gid]);
  if (snapshot.excludes?.length) fields.push(['excludes', [...snapshot.excludes]]);
  if (snapshot.tags?.length) fields.push(['tags', [...snapshot.tags]]);
  if (snapshot.original) fields.push(['original', snapshot.original]);
  if (snapshot.programVersion) fields.push(['program_version', snapshot.programVersion]);
  return Buffer.from(`${goJson(goObject(fields))}\n`);
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const SnapshotJsonSchema = z.object({
  time: z.string(),
  parent: hex64.nullish(),
  tree: hex64,
  paths: z.array(z.string()).nullish(),
  hostname: z.string().optional(),
  username: z.string().optional(),
  uid: z.number().int().optional(),
  gid: z.number().int().optional(),
  excludes: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
  original: hex64.nullish(),
  program_version: z.string().optional(),
});

/** Reads a snapshot's JSON. */
export function decodeSnapshot(json: Buffer): Snapshot {
  const raw = SnapshotJsonSchema.parse(JSON.parse(json.toString('utf8')));
  return {
    time: parseGoTime(raw.time),
    ...(raw.parent ? { parent: raw.parent } : {}),
    tree: raw.tree,
    paths: raw.paths ?? [],
    ...(raw.hostname ? { hostname: raw.hostname } : {}),
    ...(raw.username ? { username: raw.username } : {}),
    ...(raw.uid ? { uid: raw.uid } : {}),
    ...(raw.gid ? { gid: raw.gid } : {}),
    ...(raw.excludes ? { excludes: raw.excludes } : {}),
    ...(raw.tags ? { tags: raw.tags } : {}),
    ...(raw.original ? { original: raw.original } : {}),
    ...(raw.program_version ? { programVersion: raw.program_version } : {}),
  };
}
