/**
 * The `hnswlib` store kind: one collection's index of the native layout,
 * `vector_store/<collection>/index.hnsw` and `index.json`. A thin descriptor over what
 * src-main/engine/vectors/ already does (its header check and its index.json schema); the
 * loading, searching and rebuilding stay there.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { documentEmbeddings, topicCentroid } from '../../demo/demo-embeddings';
import { DEFAULT_DEMO_NOW } from '../../demo/demo-time';
import { hashString128, SeededRandom } from '../../demo/random';
import { ASSISTANT_SCHEMA_VERSION } from '../../store/assistant-db';
import { checkIndexFile } from '../../vectors/index-check';
import { readIndexMeta, type IndexMeta } from '../../vectors/index-file';
import type { CapturePlan } from '../capture-plan';
import { fileSize } from '../list-files';
import { storeCheck, type StoreCheck, type StoreFinding } from '../store-finding';
import type { StoreDemoOptions, StoreKind } from '../store-kind';

/** Where one collection's index lives: its `vector_store/<collection>` folder. */
export interface HnswLocation {
  readonly dir: string;
}

/** What an index check read. */
export interface HnswFacts {
  readonly meta: IndexMeta | null;
  readonly count: number | null;
  readonly bytes: number | null;
}

const INDEX = 'index.hnsw';
const META = 'index.json';

const rebuild = (collection: string) =>
  `Rebuild the index from assistant.db (Indexes → Compact, or tend vectors compact ${collection}); nothing is lost, it is derived.`;

/** Validates a collection's index files. */
export async function validateHnswIndex(location: HnswLocation): Promise<StoreCheck<HnswFacts>> {
  const meta = readIndexMeta(path.join(location.dir, META));
  if (!meta) {
    return storeCheck(
      { meta: null, count: null, bytes: await fileSize(path.join(location.dir, INDEX)) },
      [
        {
          code: 'HNSW_META_MISSING',
          severity: 'problem',
          path: META,
          message: `${META} is missing or unreadable, so the index beside it cannot be checked or loaded.`,
          action: rebuild(path.basename(location.dir)),
        },
      ],
    );
  }
  const checked = checkIndexFile(path.join(location.dir, INDEX), meta.dimension);
  const findings: StoreFinding[] = checked.ok
    ? []
    : [
        {
          code: 'HNSW_INDEX_BROKEN',
          severity: 'problem',
          path: INDEX,
          message: `${INDEX} of collection “${meta.collection}” cannot be loaded: ${checked.reason}`,
          action: rebuild(meta.collection),
        },
      ];
  return storeCheck(
    {
      meta,
      count: checked.ok ? checked.header.count : null,
      bytes: checked.ok ? checked.header.bytes : await fileSize(path.join(location.dir, INDEX)),
    },
    findings,
  );
}

/** The capture plan of one index: the index, then its description. */
export async function planHnswCapture(location: HnswLocation): Promise<CapturePlan> {
  const items = [];
  for (const name of [INDEX, META]) {
    const bytes = await fileSize(path.join(location.dir, name));
    if (bytes !== null) items.push({ path: name, bytes, method: 'copy' as const });
  }
  return {
    base: location.dir,
    items,
    consistency:
      'Tend replaces both files only by temp file and rename, so each copy is one whole version; should the pair disagree after all, the index is rebuilt from assistant.db.',
    needsAppStopped: false,
  };
}

/** What the hnswlib demo writes. */
export interface HnswDemo extends StoreDemoOptions {
  readonly collection: string;
  readonly vectors?: number;
  readonly dimension?: number;
}

/** Writes an index of seeded vectors and its index.json, the same bytes for the same seed. */
export async function writeHnswDemo(location: HnswLocation, demo: HnswDemo): Promise<void> {
  const dimension = demo.dimension ?? 384;
  const count = demo.vectors ?? 50;
  const rng = new SeededRandom(`hnswlib/${demo.seed}/${demo.collection}`);
  const vectors = documentEmbeddings(rng.fork('v'), topicCentroid(rng.fork('c'), dimension), count);
  const m = 16;
  const efConstruction = 200;
  // The native addon loads when a demo index is written, not with the store kind.
  const { default: hnswlib } = await import('hnswlib-node');
  const index = new hnswlib.HierarchicalNSW('cosine', dimension);
  index.initIndex(
    count + 16,
    m,
    efConstruction,
    hashString128(`${demo.seed}/${demo.collection}`)[0] % 2 ** 31,
  );
  vectors.forEach((vector, i) => index.addPoint(Array.from(vector), i + 1));
  await fs.mkdir(location.dir, { recursive: true });
  const temporary = path.join(location.dir, `${INDEX}.partial`);
  index.writeIndexSync(temporary);
  await fs.rename(temporary, path.join(location.dir, INDEX));
  const meta: IndexMeta = {
    collection: demo.collection,
    dimension,
    space: 'cosine',
    m,
    efConstruction,
    efSearch: 64,
    count: index.getCurrentCount(),
    maxElements: index.getMaxElements(),
    builtAt: DEFAULT_DEMO_NOW.toISOString(),
    schemaVersion: ASSISTANT_SCHEMA_VERSION,
    deletedCount: 0,
  };
  await writeFileAtomic(path.join(location.dir, META), `${JSON.stringify(meta, null, 2)}\n`);
}

/** A native collection's HNSW index. */
export const hnswlibStore: StoreKind<HnswLocation, HnswFacts, HnswDemo> = {
  kind: 'hnswlib',
  title: 'HNSW index',
  description:
    'A collection’s hnswlib index (index.hnsw) and its description (index.json), built by Tend from the chunks in assistant.db.',
  origin: { kind: 'derived', from: 'assistant.db', rebuiltBy: 'Tend (Indexes → Rebuild)' },
  planCapture: planHnswCapture,
  validate: validateHnswIndex,
  writeDemo: writeHnswDemo,
};
