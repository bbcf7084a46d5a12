/**
 * The `faiss` store kind: a LangChain FAISS vector store folder, `index.faiss` (the index, by
 * `faiss.write_index`) and `index.pkl` (the pickled docstore and the row → document id map),
 * as LangChain's `FAISS.save_local(folder_path, index_name="index")` writes them
 * (langchain_community/vectorstores/faiss.py). Seed 002 keeps one per entity under
 * `entity_scoped/entities/<entity>/vector_store/`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { DEMO_TOPICS, sentence } from '../../demo/demo-text';
import { documentEmbeddings, topicCentroid } from '../../demo/demo-embeddings';
import { SeededRandom } from '../../demo/random';
import type { CapturePlan } from '../capture-plan';
import { fileSize } from '../list-files';
import { missingFile, storeCheck, type StoreCheck, type StoreFinding } from '../store-finding';
import type { StoreDemoOptions, StoreKind } from '../store-kind';
import {
  readFaissIndex,
  type ByteSource,
  type FaissIndexInfo,
  type FaissRead,
} from './faiss-format';
import { encodeFlatIndex } from './faiss-writer';
import { pickle, pickleLooksWhole, type PickleValue } from '../pickle-bytes';

/** Where a FAISS vector store lives. */
export interface FaissLocation {
  /** The `vector_store` folder. */
  readonly dir: string;
  /** LangChain's `index_name`: the files are `<name>.faiss` and `<name>.pkl`. */
  readonly indexName?: string;
  /** The vectors the index must hold, when the app keeps a count elsewhere (seed 002's chunk_metadata.json). */
  readonly expectedVectors?: number;
}

/** What a FAISS store check read. */
export interface FaissFacts {
  readonly index: FaissIndexInfo | null;
  readonly docstoreBytes: number | null;
}

/** Reads a FAISS index file by its format, by positional reads (it is never loaded whole). */
export async function inspectFaissFile(file: string): Promise<FaissRead> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const source: ByteSource = {
      size,
      read: async (offset, length) => {
        const out = Buffer.alloc(length);
        const { bytesRead } = await handle.read(out, 0, length, offset);
        return out.subarray(0, bytesRead);
      },
    };
    return await readFaissIndex(source);
  } finally {
    await handle.close();
  }
}

const names = (location: FaissLocation) => {
  const name = location.indexName ?? 'index';
  return { index: `${name}.faiss`, docstore: `${name}.pkl` };
};

function indexFinding(label: string, read: Exclude<FaissRead, { ok: true }>): StoreFinding {
  switch (read.defect) {
    case 'truncated':
      return {
        code: 'FAISS_TRUNCATED',
        severity: 'problem',
        path: label,
        message: `${label} is cut short: ${read.reason}. FAISS cannot load it, and the vectors past the cut are gone.`,
        action:
          'Restore this vector store from a backup. Where the index holds the only copy of its vectors, re-uploading the documents is the only other way back.',
      };
    case 'malformed':
      return {
        code: 'FAISS_MALFORMED',
        severity: 'problem',
        path: label,
        message: `${label} is not a sound FAISS index: ${read.reason}.`,
        action: 'Restore this vector store from a backup.',
      };
    case 'trailing-bytes':
      return {
        code: 'FAISS_TRAILING_BYTES',
        severity: 'notice',
        path: label,
        message: `${label} loads, but ${read.reason} (a second write over a longer file?).`,
        action: 'Nothing is lost; the next save by the app rewrites the file.',
      };
    case 'unsupported':
      return {
        code: 'FAISS_UNSUPPORTED_TYPE',
        severity: 'notice',
        path: label,
        message: `${label} is an ${read.info?.typeName ?? 'unknown'} index: ${read.reason}, so its body was not checked.`,
        action: 'Nothing to do; its header is sound.',
      };
  }
}

/** Validates a FAISS vector store folder. */
export async function validateFaissStore(location: FaissLocation): Promise<StoreCheck<FaissFacts>> {
  const files = names(location);
  const findings: StoreFinding[] = [];
  let index: FaissIndexInfo | null = null;
  const indexFile = path.join(location.dir, files.index);
  if ((await fileSize(indexFile)) === null) {
    findings.push(missingFile(files.index, 'The FAISS index'));
  } else {
    const read = await inspectFaissFile(indexFile);
    if (read.ok) index = read.info;
    else {
      index = read.info ?? null;
      findings.push(indexFinding(files.index, read));
    }
  }
  const docstoreFile = path.join(location.dir, files.docstore);
  const docstoreBytes = await fileSize(docstoreFile);
  if (docstoreBytes === null) {
    findings.push({
      code: 'FAISS_DOCSTORE_MISSING',
      severity: 'problem',
      path: files.docstore,
      message: `${files.docstore} is missing: the index has no documents to return for its vectors.`,
      action: 'Restore this vector store from a backup; the index and its .pkl belong together.',
    });
  } else if (!pickleLooksWhole(await fs.readFile(docstoreFile))) {
    findings.push({
      code: 'FAISS_TRUNCATED',
      severity: 'problem',
      path: files.docstore,
      message: `${files.docstore} is not a whole pickle (it does not end where a pickle ends).`,
      action: 'Restore this vector store from a backup; the index and its .pkl belong together.',
    });
  }
  if (
    index &&
    location.expectedVectors !== undefined &&
    index.vectors !== location.expectedVectors
  ) {
    findings.push({
      code: 'FAISS_COUNT_MISMATCH',
      severity: 'problem',
      path: files.index,
      message: `${files.index} holds ${index.vectors} vectors; the app's records list ${location.expectedVectors} chunks.`,
      action:
        'Restore the vector store and its chunk records from the same backup, so they agree again.',
    });
  }
  return storeCheck({ index, docstoreBytes }, findings);
}

/** The capture plan of a FAISS vector store: the index, then its docstore. */
export async function planFaissCapture(location: FaissLocation): Promise<CapturePlan> {
  const files = names(location);
  const items = [];
  for (const name of [files.index, files.docstore]) {
    const bytes = await fileSize(path.join(location.dir, name));
    if (bytes !== null) items.push({ path: name, bytes, method: 'copy' as const });
  }
  return {
    base: location.dir,
    items,
    consistency:
      'LangChain rewrites both files in place on every save, one after the other: a copy made during a save may pair a new index with an old docstore. Each copy is checked against the file’s size and mtime, and the validation compares the vector count with the app’s records.',
    needsAppStopped: true,
  };
}

/** What the FAISS demo writes. */
export interface FaissDemo extends StoreDemoOptions {
  /** Vectors in the index (24 unless given). */
  readonly vectors?: number;
  /** Their dimension (384, as all-MiniLM-L6-v2 embeds, unless given). */
  readonly dimension?: number;
  /** Words for the chunk texts: the demo topic's index (0 unless given). */
  readonly topic?: number;
}

/**
 * Writes a LangChain-style vector store: an IndexFlatL2 (what `FAISS.from_texts` builds) of
 * seeded unit vectors, and `index.pkl` with the docstore and the row → id map. LangChain's own
 * pickle holds its Document and InMemoryDocstore classes; the demo pickles the same data as
 * plain dicts, which any Python reads without LangChain.
 */
export async function writeFaissDemo(location: FaissLocation, demo: FaissDemo): Promise<void> {
  const count = demo.vectors ?? 24;
  const dimension = demo.dimension ?? 384;
  const topic = DEMO_TOPICS[(demo.topic ?? 0) % DEMO_TOPICS.length]!;
  const rng = new SeededRandom(`faiss/${demo.seed}`);
  const centroid = topicCentroid(rng.fork('centroid'), dimension);
  const values = new Float32Array(count * dimension);
  documentEmbeddings(rng.fork('vectors'), centroid, count).forEach((vector, row) =>
    values.set(vector, row * dimension),
  );
  const docstore = new Map<string, PickleValue>();
  const rows = new Map<number, PickleValue>();
  for (let row = 0; row < count; row++) {
    const id = `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
    docstore.set(
      id,
      new Map<string, PickleValue>([
        ['page_content', `${sentence(rng, topic)} ${sentence(rng, topic)}`],
        ['metadata', new Map<string, PickleValue>([['chunk', row]])],
      ]),
    );
    rows.set(row, id);
  }
  const files = names(location);
  await fs.mkdir(location.dir, { recursive: true });
  await writeFileAtomic(
    path.join(location.dir, files.index),
    encodeFlatIndex({ dimension, values }, 'l2'),
  );
  await writeFileAtomic(
    path.join(location.dir, files.docstore),
    pickle({ tuple: [new Map([['_dict', docstore]]), rows] }),
  );
}

/** A FAISS vector store as LangChain saves it. */
export const faissStore: StoreKind<FaissLocation, FaissFacts, FaissDemo> = {
  kind: 'faiss',
  title: 'FAISS index',
  description:
    'A FAISS vector index (index.faiss) with the documents its vectors stand for (index.pkl), as LangChain saves it. Read by its file format: Tend has no FAISS of its own.',
  // Seed 002: the index is built from uploads by an embedding model the app owns, and holds the
  // only copy of the vectors; Tend cannot rebuild it.
  origin: { kind: 'source' },
  planCapture: planFaissCapture,
  validate: (location) => validateFaissStore(location),
  writeDemo: writeFaissDemo,
};
