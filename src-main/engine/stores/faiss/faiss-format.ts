/**
 * FAISS index files read by their format, with no FAISS in Node.
 *
 * The layout is FAISS's own serialisation (faiss/impl/index_write.cpp, checked byte for byte
 * against files written by python3-faiss 1.7.3 in tests/fixtures/faiss/): a four-character
 * type code, then for every float index the common header
 *
 *   int32 d · int64 ntotal · int64 1<<20 · int64 1<<20 · uint8 is_trained · int32 metric_type
 *   [float32 metric_arg, only when metric_type > 1]
 *
 * then the type's own body. Flat indexes (`IxF2` L2, `IxFI` inner product, `IxFl` other
 * metrics) hold `uint64 n` and n float32 (n = ntotal × d). `IxMp`/`IxM2` (IndexIDMap and
 * IndexIDMap2) wrap another index: their header, the inner index, then `uint64 n` and n int64
 * ids. These are the types the seeds and LangChain's FAISS store write; for other types the
 * header is still read (dimension and count) and the body is left unchecked.
 */

/** A source of bytes by position: a file handle, or a buffer in tests. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

/** A ByteSource over a buffer. */
export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/** FAISS's distance of an index. */
export type FaissMetric = 'inner-product' | 'l2' | 'other';

/** What a FAISS index file holds. */
export interface FaissIndexInfo {
  /** The four-character type code, `IxF2`. */
  readonly typeCode: string;
  /** FAISS's class name, `IndexFlatL2`, or the code when Tend does not know the type. */
  readonly typeName: string;
  readonly dimension: number;
  readonly vectors: number;
  readonly metric: FaissMetric;
  /** True when the vectors carry ids of their own (IndexIDMap). */
  readonly mappedIds: boolean;
  /** True when the whole file was checked, false when only its header was (unknown types). */
  readonly verified: boolean;
  readonly bytes: number;
}

/** Why a file is not a sound FAISS index. */
export type FaissDefect = 'truncated' | 'malformed' | 'trailing-bytes' | 'unsupported';

/** The outcome of reading an index file. */
export type FaissRead =
  | { readonly ok: true; readonly info: FaissIndexInfo }
  | {
      readonly ok: false;
      readonly defect: FaissDefect;
      readonly reason: string;
      /** What could be read before the defect (trailing bytes, unknown types). */
      readonly info?: FaissIndexInfo;
    };

const FLAT_TYPES: Readonly<Record<string, string>> = {
  IxF2: 'IndexFlatL2',
  IxFI: 'IndexFlatIP',
  IxFl: 'IndexFlat',
};
const ID_MAP_TYPES: Readonly<Record<string, string>> = {
  IxMp: 'IndexIDMap',
  IxM2: 'IndexIDMap2',
};
/** Types Tend recognises by code but whose body it does not walk. */
const OTHER_TYPES: Readonly<Record<string, string>> = {
  IHNf: 'IndexHNSWFlat',
  IwFl: 'IndexIVFFlat',
  IwPQ: 'IndexIVFPQ',
  IxPQ: 'IndexPQ',
  IxSQ: 'IndexScalarQuantizer',
  IwSq: 'IndexIVFScalarQuantizer',
  IxLS: 'IndexLSH',
};

/** The header's two dummy fields, a handy signature of a sound header. */
const HEADER_DUMMY = 1n << 20n;
const HEADER_BYTES = 4 + 8 + 8 + 8 + 1 + 4;
const MAX_DIMENSION = 1 << 16;

class Cut extends Error {
  constructor(readonly needed: number) {
    super('truncated');
  }
}

class Bad extends Error {}

interface Header {
  readonly dimension: number;
  readonly vectors: number;
  readonly metric: FaissMetric;
  readonly end: number;
}

interface Walked {
  readonly info: Omit<FaissIndexInfo, 'bytes'>;
  readonly end: number;
}

async function take(source: ByteSource, at: number, length: number): Promise<Buffer> {
  if (at + length > source.size) throw new Cut(at + length);
  return source.read(at, length);
}

function safeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Bad(`${what} is ${value}, which no index has`);
  }
  return Number(value);
}

async function readHeader(source: ByteSource, at: number): Promise<Header> {
  const head = await take(source, at, HEADER_BYTES);
  const dimension = head.readInt32LE(0);
  const vectors = safeNumber(head.readBigInt64LE(4), 'the vector count');
  if (head.readBigInt64LE(12) !== HEADER_DUMMY || head.readBigInt64LE(20) !== HEADER_DUMMY) {
    throw new Bad('the header is not a FAISS index header');
  }
  if (dimension <= 0 || dimension > MAX_DIMENSION) {
    throw new Bad(`the header gives an impossible dimension (${dimension})`);
  }
  const trained = head.readUInt8(28);
  if (trained > 1) throw new Bad('the header is not a FAISS index header');
  const metricType = head.readInt32LE(29);
  if (metricType < 0 || metricType > 100) throw new Bad(`unknown metric type ${metricType}`);
  const metric: FaissMetric =
    metricType === 0 ? 'inner-product' : metricType === 1 ? 'l2' : 'other';
  // Metrics past L2 carry an argument (faiss/impl/index_write.cpp, write_index_header).
  const end = at + HEADER_BYTES + (metricType > 1 ? 4 : 0);
  return { dimension, vectors, metric, end };
}

async function readCount(source: ByteSource, at: number, what: string): Promise<number> {
  return safeNumber((await take(source, at, 8)).readBigUInt64LE(0), what);
}

async function walk(source: ByteSource, at: number, depth: number): Promise<Walked> {
  if (depth > 4) throw new Bad('indexes nest deeper than any FAISS writer makes them');
  const code = (await take(source, at, 4)).toString('latin1');
  if (FLAT_TYPES[code]) {
    const header = await readHeader(source, at + 4);
    const floats = await readCount(source, header.end, 'the stored float count');
    if (floats !== header.vectors * header.dimension) {
      throw new Bad(
        `the header says ${header.vectors} vectors of ${header.dimension}, but ${floats} values are stored`,
      );
    }
    const end = header.end + 8 + floats * 4;
    if (end > source.size) throw new Cut(end);
    return { end, info: describe(code, FLAT_TYPES[code], header, false, true) };
  }
  if (ID_MAP_TYPES[code]) {
    const header = await readHeader(source, at + 4);
    const inner = await walk(source, header.end, depth + 1);
    if (inner.info.vectors !== header.vectors || inner.info.dimension !== header.dimension) {
      throw new Bad('the id map and the index inside it disagree on the vectors');
    }
    const ids = await readCount(source, inner.end, 'the id count');
    if (ids !== header.vectors) {
      throw new Bad(`the id map holds ${ids} ids for ${header.vectors} vectors`);
    }
    const end = inner.end + 8 + ids * 8;
    if (end > source.size) throw new Cut(end);
    return {
      end,
      info: {
        ...describe(code, ID_MAP_TYPES[code], header, true, inner.info.verified),
        metric: inner.info.metric,
      },
    };
  }
  if (!/^[A-Za-z0-9]{4}$/.test(code))
    throw new Bad('the file does not start with a FAISS type code');
  const header = await readHeader(source, at + 4);
  return {
    end: source.size,
    info: describe(code, OTHER_TYPES[code] ?? code, header, false, false),
  };
}

function describe(
  code: string,
  name: string,
  header: Header,
  mappedIds: boolean,
  verified: boolean,
): Omit<FaissIndexInfo, 'bytes'> {
  return {
    typeCode: code,
    typeName: name,
    dimension: header.dimension,
    vectors: header.vectors,
    metric: header.metric,
    mappedIds,
    verified,
  };
}

/** Reads a FAISS index from `source` and says what it holds, or why it is not sound. */
export async function readFaissIndex(source: ByteSource): Promise<FaissRead> {
  try {
    const { end, info } = await walk(source, 0, 0);
    const full: FaissIndexInfo = { ...info, bytes: source.size };
    if (!info.verified) {
      return {
        ok: false,
        defect: 'unsupported',
        reason: `${info.typeName} indexes are read by their header only`,
        info: full,
      };
    }
    if (end < source.size) {
      return {
        ok: false,
        defect: 'trailing-bytes',
        reason: `${source.size - end} bytes follow the end of the index`,
        info: full,
      };
    }
    return { ok: true, info: full };
  } catch (error) {
    if (error instanceof Cut) {
      return {
        ok: false,
        defect: 'truncated',
        reason: `the file is ${source.size} bytes, and the index it starts needs at least ${error.needed}`,
      };
    }
    if (error instanceof Bad) return { ok: false, defect: 'malformed', reason: error.message };
    throw error;
  }
}
