import { z } from 'zod';
import type { NodeType } from './go-file-mode';
import { goJson, goJsonString, goObject, type GoJsonValue } from './go-json';
import { quoteName, unquoteName } from './go-quote';
import { formatGoTime, localTimeFormatter, parseGoTime, type UnixNanos } from './go-time';
import type { ResticId } from './restic-id';

/**
 * A tree blob: the sorted entries of one folder as JSON, `{"nodes":[…]}` and a newline
 * (restic internal/restic/tree.go, SaveTree / TreeJSONBuilder; node.go, Node). Names sort by
 * their bytes and never repeat; a folder's node names the tree of its contents in `subtree`,
 * a file's lists its data blobs in `content` (an empty list for an empty file, null for
 * anything else), a symlink keeps its target in `linktarget`.
 */

/** One entry of a tree. */
export interface TreeNode {
  readonly name: string;
  readonly type: NodeType;
  /** Go's FileMode (see go-file-mode.ts). */
  readonly mode: number;
  readonly mtime: UnixNanos;
  readonly atime: UnixNanos;
  readonly ctime: UnixNanos;
  readonly uid: number;
  readonly gid: number;
  readonly user?: string;
  readonly group?: string;
  readonly inode?: bigint;
  readonly deviceId?: bigint;
  readonly size?: number;
  readonly links?: number;
  readonly linktarget?: string;
  /** st_rdev of a device node. */
  readonly device?: bigint;
  readonly content: ReadonlyArray<ResticId> | null;
  readonly subtree?: ResticId;
  /** The stored name does not decode to UTF-8 (restic kept raw bytes); such nodes are skipped on restore. */
  readonly nameUnreadable?: boolean;
}

/** A whole number as Go writes it; refuses what is not one, as goJson does. */
function whole(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new Error(`Not a whole number: ${value}`);
  }
  return String(value);
}

/**
 * One node as Go's json.Marshal writes restic.Node: fields in struct order, omitempty as Go.
 * Written straight into one string (the keys need no escaping): the general goJson's pairs
 * and arrays cost most of a first backup's time on a tree of many small files.
 */
export function encodeNode(node: TreeNode, time = localTimeFormatter()): string {
  let out = `{"name":${goJsonString(quoteName(node.name))},"type":"${node.type}"`;
  if (node.mode) out += `,"mode":${whole(node.mode)}`;
  out +=
    `,"mtime":"${time(node.mtime)}","atime":"${time(node.atime)}"` +
    `,"ctime":"${time(node.ctime)}","uid":${whole(node.uid)},"gid":${whole(node.gid)}`;
  if (node.user) out += `,"user":${goJsonString(node.user)}`;
  if (node.group) out += `,"group":${goJsonString(node.group)}`;
  if (node.inode) out += `,"inode":${whole(node.inode)}`;
  if (node.deviceId) out += `,"device_id":${whole(node.deviceId)}`;
  if (node.size) out += `,"size":${whole(node.size)}`;
  if (node.links) out += `,"links":${whole(node.links)}`;
  if (node.linktarget) out += `,"linktarget":${goJsonString(node.linktarget)}`;
  if (node.device) out += `,"device":${whole(node.device)}`;
  out += `,"content":${node.content === null ? 'null' : `[${node.content.map((id) => `"${id}"`).join(',')}]`}`;
  if (node.subtree) out += `,"subtree":"${node.subtree}"`;
  return `${out}}`;
}

/** The same node through the general encoder, field by field (tests compare the two). */
export function encodeNodeGeneral(node: TreeNode): string {
  const fields: Array<readonly [string, GoJsonValue]> = [
    ['name', quoteName(node.name)],
    ['type', node.type],
  ];
  if (node.mode) fields.push(['mode', node.mode]);
  fields.push(
    ['mtime', formatGoTime(node.mtime)],
    ['atime', formatGoTime(node.atime)],
    ['ctime', formatGoTime(node.ctime)],
    ['uid', node.uid],
    ['gid', node.gid],
  );
  if (node.user) fields.push(['user', node.user]);
  if (node.group) fields.push(['group', node.group]);
  if (node.inode) fields.push(['inode', node.inode]);
  if (node.deviceId) fields.push(['device_id', node.deviceId]);
  if (node.size) fields.push(['size', node.size]);
  if (node.links) fields.push(['links', node.links]);
  if (node.linktarget) fields.push(['linktarget', node.linktarget]);
  if (node.device) fields.push(['device', node.device]);
  fields.push(['content', node.content]);
  if (node.subtree) fields.push(['subtree', node.subtree]);
  return goJson(goObject(fields));
}

/**
 * Whether two nodes stand for the same thing: every field Tend writes but the access time. A
 * folder whose nodes all match its parent snapshot's keeps the parent's tree as it is,
 * unencoded and unhashed. The access time is left out because reading moves it (the
 * assistant's own reads, a backup's readdir): counting it would make every folder "changed"
 * after each backup, and a stored atime a day old loses nothing of the data.
 */
export function sameNode(a: TreeNode, b: TreeNode): boolean {
  if (
    a.name !== b.name ||
    a.type !== b.type ||
    a.mode !== b.mode ||
    a.mtime !== b.mtime ||
    a.ctime !== b.ctime ||
    a.uid !== b.uid ||
    a.gid !== b.gid ||
    (a.user ?? '') !== (b.user ?? '') ||
    (a.group ?? '') !== (b.group ?? '') ||
    (a.inode ?? 0n) !== (b.inode ?? 0n) ||
    (a.deviceId ?? 0n) !== (b.deviceId ?? 0n) ||
    (a.size ?? 0) !== (b.size ?? 0) ||
    (a.links ?? 0) !== (b.links ?? 0) ||
    (a.linktarget ?? '') !== (b.linktarget ?? '') ||
    (a.device ?? 0n) !== (b.device ?? 0n) ||
    (a.subtree ?? '') !== (b.subtree ?? '') ||
    Boolean(a.nameUnreadable) !== Boolean(b.nameUnreadable)
  ) {
    return false;
  }
  if (a.content === b.content) return true;
  if (!a.content || !b.content || a.content.length !== b.content.length) return false;
  return a.content.every((id, i) => id === b.content![i]);
}

/** Orders names as Go compares strings: by their UTF-8 bytes. */
export function compareNames(a: string, b: string): number {
  // Below U+D800, UTF-16 code units sort as UTF-8 bytes do: compare the strings themselves
  // and spare the two buffers per comparison that sorting a large folder would make.
  if (!beyondBmpStart.test(a) && !beyondBmpStart.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const beyondBmpStart = /[\uD800-\uFFFF]/;

/** A tree blob's bytes; nodes must come sorted by name, each name once. */
export function encodeTree(nodes: ReadonlyArray<TreeNode>): Buffer {
  for (let i = 1; i < nodes.length; i++) {
    if (compareNames(nodes[i - 1]!.name, nodes[i]!.name) >= 0) {
      throw new Error(`tree nodes out of order: ${nodes[i - 1]!.name}, ${nodes[i]!.name}`);
    }
  }
  const time = localTimeFormatter();
  return Buffer.from(`{"nodes":[${nodes.map((node) => encodeNode(node, time)).join(',')}]}\n`);
}

const hex64Pattern = /^[0-9a-f]{64}$/;
const hex64 = z.string().regex(hex64Pattern);
/**
 * A file's list of blob ids, checked in one pass: a zod schema per element cost more than the
 * rest of reading a tree (a large file lists thousands of blobs), on every restore.
 */
const blobIds = z.custom<ResticId[]>(
  (value) =>
    Array.isArray(value) &&
    value.every((id) => typeof id === 'string' && id.length === 64 && hex64Pattern.test(id)),
  { message: 'content must be a list of 64-digit hex blob ids' },
);
const zeroTime = '0001-01-01T00:00:00Z';

const NodeJsonSchema = z.object({
  name: z.string(),
  type: z.enum(['file', 'dir', 'symlink', 'dev', 'chardev', 'fifo', 'socket']),
  mode: z.number().int().nonnegative().optional(),
  mtime: z.string().optional(),
  atime: z.string().optional(),
  ctime: z.string().optional(),
  uid: z.number().int().nonnegative().optional(),
  gid: z.number().int().nonnegative().optional(),
  user: z.string().optional(),
  group: z.string().optional(),
  inode: z.number().nonnegative().optional(),
  device_id: z.number().nonnegative().optional(),
  size: z.number().int().nonnegative().optional(),
  links: z.number().int().nonnegative().optional(),
  linktarget: z.string().optional(),
  linktarget_raw: z.string().optional(),
  device: z.number().nonnegative().optional(),
  content: blobIds.nullish(),
  subtree: hex64.nullish(),
});

const TreeJsonSchema = z.object({ nodes: z.array(NodeJsonSchema).nullable() });

type TreeJson = z.infer<typeof TreeJsonSchema>;

const nodeTypes: ReadonlySet<unknown> = new Set(NodeJsonSchema.shape.type.options);
const optionalStrings = [
  'mtime',
  'atime',
  'ctime',
  'user',
  'group',
  'linktarget',
  'linktarget_raw',
];
const optionalCounts = ['mode', 'uid', 'gid', 'size', 'links'];
const optionalNumbers = ['inode', 'device_id', 'device'];

function isHex64(value: unknown): boolean {
  return typeof value === 'string' && hex64Pattern.test(value);
}

/**
 * Whether parsed JSON has the shape TreeJsonSchema accepts, checked by hand: the schema costs
 * microseconds per node, most of reading a parent snapshot's trees in an unchanged backup of
 * many files. A false sends the tree through the schema, whose error says what is wrong.
 */
export function plainTreeJson(json: unknown): json is TreeJson {
  if (typeof json !== 'object' || json === null || !('nodes' in json)) return false;
  const nodes = (json as { nodes: unknown }).nodes;
  if (nodes === null) return true;
  if (!Array.isArray(nodes)) return false;
  for (const node of nodes as unknown[]) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
    const raw = node as Record<string, unknown>;
    if (typeof raw.name !== 'string' || !nodeTypes.has(raw.type)) return false;
    for (const key of optionalStrings) {
      if (raw[key] !== undefined && typeof raw[key] !== 'string') return false;
    }
    for (const key of optionalCounts) {
      const value = raw[key];
      if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) return false;
    }
    for (const key of optionalNumbers) {
      const value = raw[key];
      if (value !== undefined && !(typeof value === 'number' && value >= 0)) return false;
    }
    const content = raw.content;
    if (content !== undefined && content !== null) {
      if (!Array.isArray(content) || !content.every(isHex64)) return false;
    }
    if (raw.subtree !== undefined && raw.subtree !== null && !isHex64(raw.subtree)) return false;
  }
  return true;
}

/** Reads a tree blob (JSON from any restic version; unknown fields are ignored). */
export function decodeTree(bytes: Buffer): TreeNode[] {
  const json: unknown = JSON.parse(bytes.toString('utf8'));
  const parsed = plainTreeJson(json) ? json : TreeJsonSchema.parse(json);
  return (parsed.nodes ?? []).map((raw) => {
    const name = unquoteName(raw.name);
    const linktarget =
      raw.linktarget_raw !== undefined
        ? Buffer.from(raw.linktarget_raw, 'base64').toString('utf8')
        : raw.linktarget;
    // Fields given only when set, as before, but added one by one: ten conditional spreads
    // per node were most of decoding a parent snapshot's trees.
    const node: { -readonly [K in keyof TreeNode]: TreeNode[K] } = {
      name: name ?? raw.name,
      type: raw.type,
      mode: raw.mode ?? 0,
      mtime: parseGoTime(raw.mtime ?? zeroTime),
      atime: parseGoTime(raw.atime ?? zeroTime),
      ctime: parseGoTime(raw.ctime ?? zeroTime),
      uid: raw.uid ?? 0,
      gid: raw.gid ?? 0,
      content: raw.content ?? null,
    };
    if (raw.user) node.user = raw.user;
    if (raw.group) node.group = raw.group;
    if (raw.inode) node.inode = BigInt(Math.round(raw.inode));
    if (raw.device_id) node.deviceId = BigInt(Math.round(raw.device_id));
    if (raw.size) node.size = raw.size;
    if (raw.links) node.links = raw.links;
    if (linktarget) node.linktarget = linktarget;
    if (raw.device) node.device = BigInt(Math.round(raw.device));
    if (raw.subtree) node.subtree = raw.subtree;
    if (name === null) node.nameUnreadable = true;
    return node;
  });
}
