/**
 * Checking an hnswlib index file before hnswlib reads it.
 *
 * Why: hnswlib trusts its file. A garbage header makes it allocate wildly; a link that points
 * past the last element, a link list longer than its slot, or a neighbour on an upper level
 * that has no list on that level makes a search read outside its memory, and the process dies
 * with a segfault (exit 139) that no try/catch can stop. So every file Tend hands to hnswlib
 * is first read here in plain JavaScript, following hnswlib's own layout (hnswalg.h,
 * saveIndex/loadIndex):
 *
 * ```
 * header (96 bytes): offsetLevel0, maxElements, count, sizeDataPerElement, labelOffset,
 *   offsetData (6 × size_t), maxLevel (int), enterPoint (uint32), maxM, maxM0, M (3 × size_t),
 *   mult (double), efConstruction (size_t)
 * level 0, count × sizeDataPerElement: [u16 links, u8 deleted mark, u8 0, maxM0 × u32 ids]
 *   [dimension × f32] [u64 label]
 * per element: u32 bytes, then level × [u16 links, u16 0, maxM × u32 ids]
 * ```
 *
 * A file passes when the sizes add up to the byte, every link count fits its slot, every
 * link names an element that exists and, on an upper level, one that reaches that level, and
 * the entry point is the element at the top level.
 */
import fs from 'node:fs';

/** hnswlib's fixed header: 6 size_t, an int, an unsigned, 3 size_t, a double, a size_t. */
export const HEADER_BYTES = 96;

/** Bytes of level 0 read at a time. */
const BLOCK_BYTES = 4 * 1024 * 1024;

/** Extra capacity beyond the count that a sound file may declare (hnswlib allocates it all). */
const SPARE_CAPACITY = 1 << 20;

/** What the header of an index file says. */
export interface IndexHeader {
  readonly maxElements: number;
  readonly count: number;
  readonly maxM0: number;
  readonly m: number;
  readonly bytes: number;
}

/** The verdict on an index file. */
export type IndexCheck =
  | { readonly ok: true; readonly header: IndexHeader }
  | { readonly ok: false; readonly reason: string; readonly dimension?: number };

/** The header's fields that the graph checks need. */
interface Shape extends IndexHeader {
  readonly perElement: number;
  readonly maxM: number;
  readonly maxLevel: number;
  readonly enterPoint: number;
}

const refuse = (reason: string, dimension?: number): IndexCheck =>
  dimension === undefined ? { ok: false, reason } : { ok: false, reason, dimension };

/** Reads and checks the header; a sound header of another dimension says which. */
function readHeader(head: Buffer, size: number, dimension: number): Shape | IndexCheck {
  const u64 = (at: number) => Number(head.readBigUInt64LE(at));
  const offsetLevel0 = u64(0);
  const maxElements = u64(8);
  const count = u64(16);
  const perElement = u64(24);
  const labelOffset = u64(32);
  const offsetData = u64(40);
  const maxLevel = head.readInt32LE(48);
  const enterPoint = head.readUInt32LE(52);
  const maxM = u64(56);
  const maxM0 = u64(64);
  const m = u64(72);
  const mult = head.readDoubleLE(80);
  const efConstruction = u64(88);
  const linksLevel0 = maxM0 * 4 + 4;
  const shapeSane =
    offsetLevel0 === 0 &&
    m >= 2 &&
    m <= 4096 &&
    maxM === m &&
    maxM0 === 2 * m &&
    offsetData === linksLevel0 &&
    labelOffset > linksLevel0 &&
    (labelOffset - linksLevel0) % 4 === 0 &&
    perElement === labelOffset + 8 &&
    // hnswlib sets mult to 1/ln(M); it decides the level of every new element.
    Math.abs(mult * Math.log(m) - 1) < 1e-9 &&
    efConstruction >= 1 &&
    efConstruction <= 1_000_000;
  if (!shapeSane) {
    return refuse(`The header does not describe a ${dimension}-dimension hnswlib index.`);
  }
  const fileDimension = (labelOffset - linksLevel0) / 4;
  if (fileDimension !== dimension) {
    return refuse(
      `The index holds ${fileDimension}-dimension vectors; the collection's are ${dimension}.`,
      fileDimension,
    );
  }
  if (count > maxElements) {
    return refuse(`The header counts ${count} elements in room for ${maxElements}.`);
  }
  // hnswlib allocates room for maxElements up front: a huge one exhausts memory.
  if (maxElements > Math.max(8 * count, count + SPARE_CAPACITY)) {
    return refuse(`The header asks for room for ${maxElements} elements; it holds ${count}.`);
  }
  if (count === 0 ? maxLevel !== -1 || enterPoint !== 0xffffffff : enterPoint >= count) {
    return refuse(`The entry point ${enterPoint} is not an element of the index.`);
  }
  if (maxLevel < -1 || maxLevel > 64) return refuse(`The top level ${maxLevel} is not possible.`);
  if (HEADER_BYTES + count * perElement + count * 4 > size) {
    return refuse('The file is truncated.');
  }
  return { maxElements, count, maxM0, m, bytes: size, perElement, maxM, maxLevel, enterPoint };
}

/**
 * Walks the per-element upper-level lists after level 0 (small: 4 bytes for most elements):
 * their sizes must end exactly at the end of the file, and their links must be sound.
 * Resolves with each element's level, or the reason the file is refused.
 */
function checkUpperLevels(tail: Buffer, shape: Shape): Uint8Array | string {
  const { count, maxM, maxLevel, enterPoint } = shape;
  const linksPerLevel = maxM * 4 + 4;
  const levels = new Uint8Array(count);
  const starts = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > tail.length) return 'The file is truncated.';
    const length = tail.readUInt32LE(at);
    if (length % linksPerLevel !== 0) return `The link list of element ${i} is malformed.`;
    const level = length / linksPerLevel;
    if (level > maxLevel) {
      return `Element ${i} reaches level ${level}, above the index's top level ${maxLevel}.`;
    }
    levels[i] = level;
    starts[i] = at + 4;
    at += 4 + length;
  }
  if (at !== tail.length) {
    return at > tail.length
      ? 'The file is truncated.'
      : `The file has ${tail.length - at} bytes after the last link list.`;
  }
  if (count > 0 && levels[enterPoint] !== maxLevel) {
    return `The entry point ${enterPoint} does not reach the top level ${maxLevel}.`;
  }
  for (let i = 0; i < count; i++) {
    for (let level = 1; level <= levels[i]!; level++) {
      const list = starts[i]! + (level - 1) * linksPerLevel;
      const links = tail.readUInt16LE(list);
      if (links > maxM || tail.readUInt16LE(list + 2) !== 0) {
        return `Element ${i} has a malformed link list on level ${level}.`;
      }
      for (let k = 0; k < links; k++) {
        const neighbour = tail.readUInt32LE(list + 4 + 4 * k);
        if (neighbour >= count) {
          return `Element ${i} links to element ${neighbour} on level ${level}; the index has ${count}.`;
        }
        if (levels[neighbour]! < level) {
          return `Element ${i} links to element ${neighbour} on level ${level}, which it does not reach.`;
        }
      }
    }
  }
  return levels;
}

/** Checks the level-0 link lists of the elements in one block of level 0. */
function checkLevel0Block(block: Buffer, first: number, elements: number, shape: Shape) {
  const { count, maxM0, perElement } = shape;
  for (let e = 0; e < elements; e++) {
    const base = e * perElement;
    const links = block.readUInt16LE(base);
    // Byte 2 holds the deleted mark (bit 0), byte 3 is never written.
    if (links > maxM0 || block[base + 2]! > 1 || block[base + 3] !== 0) {
      return `Element ${first + e} has a malformed link list on level 0.`;
    }
    for (let k = 0; k < links; k++) {
      const neighbour = block.readUInt32LE(base + 4 + 4 * k);
      if (neighbour >= count) {
        return `Element ${first + e} links to element ${neighbour} on level 0; the index has ${count}.`;
      }
    }
  }
  return null;
}

/** How many elements one block of level 0 holds. */
function blockElements(shape: Shape): number {
  return Math.max(1, Math.floor(BLOCK_BYTES / shape.perElement));
}

function openFailure(error: unknown): IndexCheck {
  const code = (error as NodeJS.ErrnoException).code;
  return refuse(code === 'ENOENT' ? 'The index file does not exist.' : `Cannot open: ${code}`);
}

/**
 * Checks an index file against the collection's dimension, synchronously (the index worker's
 * way: it has no event loop to keep free).
 */
export function checkIndexFile(file: string, dimension: number): IndexCheck {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    return openFailure(error);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size < HEADER_BYTES) return refuse(`The file is only ${size} bytes long.`);
    const head = Buffer.alloc(HEADER_BYTES);
    fs.readSync(fd, head, 0, HEADER_BYTES, 0);
    const shape = readHeader(head, size, dimension);
    if ('ok' in shape) return shape;
    const start = HEADER_BYTES + shape.count * shape.perElement;
    const tail = Buffer.alloc(size - start);
    fs.readSync(fd, tail, 0, tail.length, start);
    const levels = checkUpperLevels(tail, shape);
    if (typeof levels === 'string') return refuse(levels);
    const per = blockElements(shape);
    const block = Buffer.alloc(per * shape.perElement);
    for (let first = 0; first < shape.count; first += per) {
      const elements = Math.min(per, shape.count - first);
      fs.readSync(
        fd,
        block,
        0,
        elements * shape.perElement,
        HEADER_BYTES + first * shape.perElement,
      );
      const problem = checkLevel0Block(block, first, elements, shape);
      if (problem) return refuse(problem);
    }
    return { ok: true, header: headerOf(shape) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The same check, reading with the event loop free between blocks: the main thread's way, so
 * a search that loads a 150 MB index does not stall the window.
 */
export async function checkIndexFileAsync(file: string, dimension: number): Promise<IndexCheck> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    return openFailure(error);
  }
  try {
    const size = (await handle.stat()).size;
    if (size < HEADER_BYTES) return refuse(`The file is only ${size} bytes long.`);
    const head = Buffer.alloc(HEADER_BYTES);
    await handle.read(head, 0, HEADER_BYTES, 0);
    const shape = readHeader(head, size, dimension);
    if ('ok' in shape) return shape;
    const start = HEADER_BYTES + shape.count * shape.perElement;
    const tail = Buffer.alloc(size - start);
    await handle.read(tail, 0, tail.length, start);
    const levels = checkUpperLevels(tail, shape);
    if (typeof levels === 'string') return refuse(levels);
    const per = blockElements(shape);
    const block = Buffer.alloc(per * shape.perElement);
    for (let first = 0; first < shape.count; first += per) {
      const elements = Math.min(per, shape.count - first);
      await handle.read(
        block,
        0,
        elements * shape.perElement,
        HEADER_BYTES + first * shape.perElement,
      );
      const problem = checkLevel0Block(block, first, elements, shape);
      if (problem) return refuse(problem);
    }
    return { ok: true, header: headerOf(shape) };
  } finally {
    await handle.close();
  }
}

function headerOf(shape: Shape): IndexHeader {
  return {
    maxElements: shape.maxElements,
    count: shape.count,
    maxM0: shape.maxM0,
    m: shape.m,
    bytes: shape.bytes,
  };
}
