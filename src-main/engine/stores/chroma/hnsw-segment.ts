/**
 * A Chroma vector segment folder: the four files of Chroma's hnswlib fork's persisted index
 * (github.com/chroma-core/hnswlib, hnswlib/hnswalg.h: `HEADER_FIELDS`, `persistHeader`,
 * `initPersistentIndex`, `readPersistedIndexFromStreams`, `loadLinkLists`).
 *
 * header.bin is the fields in order: int PERSISTENCE_VERSION (1) · size_t offsetLevel0 ·
 * size_t max_elements · size_t cur_element_count · size_t size_data_per_element ·
 * size_t label_offset · size_t offsetData · int maxlevel · uint enterpoint_node · size_t maxM ·
 * size_t maxM0 · size_t M · double mult · size_t ef_construction: 100 bytes, little-endian.
 * data_level0.bin holds max_elements × size_data_per_element bytes (each element: a link count,
 * maxM0 links, the vector, the label); length.bin max_elements float32; link_lists.bin, for each
 * of cur_element_count elements, a uint32 size and that many bytes of upper-level links.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** header.bin's size. */
export const HNSW_HEADER_BYTES = 100;
const PERSISTENCE_VERSION = 1;

/** What a segment's header.bin says. */
export interface HnswSegmentHeader {
  readonly maxElements: number;
  readonly count: number;
  readonly sizePerElement: number;
  readonly dimension: number;
  readonly m: number;
  readonly maxM0: number;
  readonly efConstruction: number;
}

/** Parses header.bin, or says why it is not one. */
export function parseHnswHeader(
  bytes: Buffer,
): { ok: true; header: HnswSegmentHeader } | { ok: false; reason: string } {
  if (bytes.length < HNSW_HEADER_BYTES) {
    return { ok: false, reason: `header.bin is ${bytes.length} bytes, not ${HNSW_HEADER_BYTES}` };
  }
  const u64 = (at: number) => Number(bytes.readBigUInt64LE(at));
  const version = bytes.readInt32LE(0);
  const offsetLevel0 = u64(4);
  const maxElements = u64(12);
  const count = u64(20);
  const sizePerElement = u64(28);
  const labelOffset = u64(36);
  const offsetData = u64(44);
  const maxM = u64(60);
  const maxM0 = u64(68);
  const m = u64(76);
  const efConstruction = u64(92);
  const linksLevel0 = maxM0 * 4 + 4;
  const sane =
    version === PERSISTENCE_VERSION &&
    offsetLevel0 === 0 &&
    m >= 2 &&
    m <= 4096 &&
    maxM === m &&
    maxM0 === 2 * m &&
    offsetData === linksLevel0 &&
    labelOffset > offsetData &&
    (labelOffset - offsetData) % 4 === 0 &&
    sizePerElement === labelOffset + 8 &&
    count <= maxElements &&
    maxElements <= 2 ** 31;
  if (!sane) return { ok: false, reason: 'header.bin does not describe a Chroma HNSW index' };
  return {
    ok: true,
    header: {
      maxElements,
      count,
      sizePerElement,
      dimension: (labelOffset - offsetData) / 4,
      m,
      maxM0,
      efConstruction,
    },
  };
}

/** What is wrong with a segment folder's files, file by file; empty when they agree. */
export async function checkHnswSegment(
  dir: string,
): Promise<{ header: HnswSegmentHeader | null; defects: Array<{ file: string; reason: string }> }> {
  const defects: Array<{ file: string; reason: string }> = [];
  const size = async (name: string) =>
    (await fs.stat(path.join(dir, name)).catch(() => null))?.size ?? null;
  let headerBytes: Buffer;
  try {
    headerBytes = await fs.readFile(path.join(dir, 'header.bin'));
  } catch {
    return { header: null, defects: [{ file: 'header.bin', reason: 'it is missing' }] };
  }
  const parsed = parseHnswHeader(headerBytes);
  if (!parsed.ok) return { header: null, defects: [{ file: 'header.bin', reason: parsed.reason }] };
  const { header } = parsed;
  const expect = async (name: string, needed: number) => {
    const actual = await size(name);
    if (actual === null) defects.push({ file: name, reason: 'it is missing' });
    else if (actual < needed) {
      defects.push({ file: name, reason: `it is ${actual} bytes; the header needs ${needed}` });
    }
  };
  await expect('data_level0.bin', header.maxElements * header.sizePerElement);
  await expect('length.bin', header.maxElements * 4);
  const links = await fs.readFile(path.join(dir, 'link_lists.bin')).catch(() => null);
  if (!links) defects.push({ file: 'link_lists.bin', reason: 'it is missing' });
  else {
    // Walk one size per element, as loadLinkLists does.
    let at = 0;
    for (let i = 0; i < header.count && at <= links.length; i++) {
      if (at + 4 > links.length) {
        at = Number.POSITIVE_INFINITY;
        break;
      }
      at += 4 + links.readUInt32LE(at);
    }
    if (at > links.length) {
      defects.push({
        file: 'link_lists.bin',
        reason: `it ends before the links of all ${header.count} elements`,
      });
    }
  }
  if ((await size('index_metadata.pickle')) === null) {
    defects.push({ file: 'index_metadata.pickle', reason: 'it is missing' });
  }
  return { header, defects };
}

/** A segment index to write: vectors, their labels, and each one's level-0 neighbours. */
export interface HnswSegmentContent {
  readonly dimension: number;
  readonly m: number;
  readonly efConstruction: number;
  readonly maxElements: number;
  readonly vectors: ReadonlyArray<Float32Array>;
  readonly labels: ReadonlyArray<number>;
  /** Internal ids of each element's neighbours at level 0 (at most 2m each). */
  readonly neighbours: ReadonlyArray<ReadonlyArray<number>>;
}

/**
 * The four files of a persisted index holding `content`, every element on level 0 only (a
 * one-level HNSW graph, which hnswlib searches like any other).
 */
export function encodeHnswSegment(content: HnswSegmentContent): Record<string, Buffer> {
  const { dimension, m, maxElements } = content;
  const count = content.vectors.length;
  const maxM0 = 2 * m;
  const linksLevel0 = maxM0 * 4 + 4;
  const labelOffset = linksLevel0 + dimension * 4;
  const sizePerElement = labelOffset + 8;
  const header = Buffer.alloc(HNSW_HEADER_BYTES);
  header.writeInt32LE(PERSISTENCE_VERSION, 0);
  const fields: Array<[number, number]> = [
    [4, 0],
    [12, maxElements],
    [20, count],
    [28, sizePerElement],
    [36, labelOffset],
    [44, linksLevel0],
  ];
  for (const [at, value] of fields) header.writeBigUInt64LE(BigInt(value), at);
  header.writeInt32LE(0, 52); // maxlevel
  header.writeUInt32LE(0, 56); // enterpoint_node
  header.writeBigUInt64LE(BigInt(m), 60);
  header.writeBigUInt64LE(BigInt(maxM0), 68);
  header.writeBigUInt64LE(BigInt(m), 76);
  header.writeDoubleLE(1 / Math.log(m), 84);
  header.writeBigUInt64LE(BigInt(content.efConstruction), 92);

  const level0 = Buffer.alloc(maxElements * sizePerElement);
  const lengths = Buffer.alloc(maxElements * 4);
  content.vectors.forEach((vector, i) => {
    const base = i * sizePerElement;
    const links = (content.neighbours[i] ?? []).slice(0, maxM0);
    level0.writeUInt16LE(links.length, base);
    links.forEach((neighbour, j) => level0.writeUInt32LE(neighbour, base + 4 + j * 4));
    let norm = 0;
    for (let d = 0; d < dimension; d++) {
      const value = vector[d] ?? 0;
      level0.writeFloatLE(value, base + linksLevel0 + d * 4);
      norm += value * value;
    }
    level0.writeBigUInt64LE(BigInt(content.labels[i] ?? i), base + labelOffset);
    lengths.writeFloatLE(Math.sqrt(norm), i * 4);
  });
  return {
    'header.bin': header,
    'data_level0.bin': level0,
    'length.bin': lengths,
    // No element has upper levels: one zero size each.
    'link_lists.bin': Buffer.alloc(count * 4),
  };
}
