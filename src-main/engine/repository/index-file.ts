import { z } from 'zod';
import type { PackedBlob } from './pack-format';
import type { ResticId } from './restic-id';

/**
 * An index file in `index/`: which blobs each pack holds and where (restic design.rst
 * "Indexing"; internal/repository/index.go, jsonIndex). `supersedes` lists index files this
 * one replaces (written by prune before it deletes them). restic keeps each under about
 * 150,000 blobs in version 2 (index.go, indexMaxBlobsCompressed).
 */

/** Blobs per index file at most (restic: 3 × 50,000 for compressed repositories). */
export const INDEX_MAX_BLOBS = 150_000;

/** The packs and blobs of one index file. */
export interface IndexContent {
  readonly supersedes: ReadonlyArray<ResticId>;
  readonly packs: ReadonlyArray<{ id: ResticId; blobs: ReadonlyArray<PackedBlob> }>;
}

const hex64Pattern = /^[0-9a-f]{64}$/;
const hex64 = z.string().regex(hex64Pattern);

/** One blob of a pack as the index's JSON has it. */
interface BlobJson {
  readonly id: string;
  readonly type: 'data' | 'tree';
  readonly offset: number;
  readonly length: number;
  readonly uncompressed_length?: number;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isBlobJson(value: unknown): value is BlobJson {
  if (typeof value !== 'object' || value === null) return false;
  const blob = value as Record<string, unknown>;
  return (
    typeof blob.id === 'string' &&
    blob.id.length === 64 &&
    hex64Pattern.test(blob.id) &&
    (blob.type === 'data' || blob.type === 'tree') &&
    isCount(blob.offset) &&
    isCount(blob.length) &&
    (blob.uncompressed_length === undefined || isCount(blob.uncompressed_length))
  );
}

/**
 * A pack's blobs, checked in one pass: a zod object per blob made reading an index of 150,000
 * blobs take a second, which every restore (one file too) paid before reading any data.
 */
const PackBlobsSchema = z.custom<BlobJson[]>(
  (value) => Array.isArray(value) && value.every(isBlobJson),
  {
    message:
      'blobs must be a list of { id: 64 hex digits, type: data or tree, offset, length, uncompressed_length? }',
  },
);

const IndexJsonSchema = z.object({
  supersedes: z.array(hex64).nullish(),
  packs: z.array(z.object({ id: hex64, blobs: PackBlobsSchema.nullish() })).nullish(),
});

/** The JSON of an index file (Go field order; `uncompressed_length` only for compressed blobs). */
export function encodeIndex(content: IndexContent): Buffer {
  const packs = content.packs.map((pack) => ({
    id: pack.id,
    blobs: pack.blobs.map((blob) => ({
      id: blob.id,
      type: blob.type,
      offset: blob.offset,
      length: blob.length,
      ...(blob.uncompressedLength ? { uncompressed_length: blob.uncompressedLength } : {}),
    })),
  }));
  const json =
    content.supersedes.length > 0 ? { supersedes: content.supersedes, packs } : { packs };
  // Ids, type names and numbers only: JSON.stringify writes exactly what Go would.
  return Buffer.from(`${JSON.stringify(json)}\n`);
}

type IndexJson = z.infer<typeof IndexJsonSchema>;

function isHex64(value: unknown): boolean {
  return typeof value === 'string' && hex64Pattern.test(value);
}

/**
 * Whether parsed JSON has the shape IndexJsonSchema accepts, checked by hand: the schema
 * costs microseconds per blob, most of opening a repository's index of many blobs. A false
 * sends the JSON through the schema, whose error says what is wrong.
 */
export function plainIndexJson(json: unknown): json is IndexJson {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const { supersedes, packs } = json as { supersedes?: unknown; packs?: unknown };
  if (supersedes !== undefined && supersedes !== null) {
    if (!Array.isArray(supersedes) || !supersedes.every(isHex64)) return false;
  }
  if (packs === undefined || packs === null) return true;
  if (!Array.isArray(packs)) return false;
  for (const pack of packs as unknown[]) {
    if (typeof pack !== 'object' || pack === null) return false;
    const { id, blobs } = pack as { id?: unknown; blobs?: unknown };
    if (!isHex64(id)) return false;
    if (blobs === undefined || blobs === null) continue;
    if (!Array.isArray(blobs) || !blobs.every(isBlobJson)) return false;
  }
  return true;
}

/** Reads an index file's JSON. restic's old format (a bare array) is refused as unreadable. */
export function decodeIndex(json: Buffer): IndexContent {
  const raw: unknown = JSON.parse(json.toString('utf8'));
  const parsed = plainIndexJson(raw) ? raw : IndexJsonSchema.parse(raw);
  return {
    supersedes: parsed.supersedes ?? [],
    packs: (parsed.packs ?? []).map((pack) => ({
      id: pack.id,
      blobs: (pack.blobs ?? []).map((blob) => ({
        id: blob.id,
        type: blob.type,
        offset: blob.offset,
        length: blob.length,
        uncompressedLength: blob.uncompressed_length ?? 0,
      })),
    })),
  };
}
