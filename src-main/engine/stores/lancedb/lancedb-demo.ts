/**
 * Demo LanceDB tables, created by LanceDB itself, with rows shaped like AnythingLLM's: an id, a
 * vector and the chunk's text and source (server/utils/vectorDbProviders/lance/index.js
 * `addDocumentToNamespace` stores `{ id, vector, ...metadata }`, the metadata carrying `text`).
 *
 * The rows are the same for the same seed; the bytes are not, since Lance names its data files
 * with random ids and stamps its manifests with the time.
 */
import fs from 'node:fs/promises';
import { DEMO_TOPICS, sentence, title } from '../../demo/demo-text';
import { documentEmbeddings, topicCentroid } from '../../demo/demo-embeddings';
import { SeededRandom } from '../../demo/random';
import type { StoreDemoOptions } from '../store-kind';

/** What the LanceDB demo writes. */
export interface LanceDemo extends StoreDemoOptions {
  /** Table names (AnythingLLM: workspace slugs) and their row counts. */
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number }>;
  readonly dimension?: number;
}

/** The rows of one demo table. */
export function demoLanceRows(
  seed: string,
  table: string,
  rows: number,
  dimension = 384,
): Array<Record<string, unknown>> {
  const rng = new SeededRandom(`lancedb/${seed}/${table}`);
  const topic = DEMO_TOPICS[rng.int(0, DEMO_TOPICS.length - 1)]!;
  const vectors = documentEmbeddings(
    rng.fork('vectors'),
    topicCentroid(rng.fork('c'), dimension),
    rows,
  );
  const docTitle = title(rng, topic);
  return vectors.map((vector, i) => ({
    id: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
    vector: Array.from(vector),
    text: `${sentence(rng, topic)} ${sentence(rng, topic)}`,
    title: docTitle,
    docSource: `custom-documents/${topic.id}-${i % 3}.json`,
    chunkIndex: i,
  }));
}

/** Creates the demo tables in `dir` (tables already there are refused by LanceDB). */
export async function writeLanceDemo(dir: string, demo: LanceDemo): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  // Loaded when first used: LanceDB and Arrow cost every command's start-up otherwise.
  const db = await (await import('@lancedb/lancedb')).connect(dir);
  try {
    for (const table of demo.tables) {
      const created = await db.createTable(
        table.name,
        demoLanceRows(demo.seed, table.name, table.rows, demo.dimension),
        { mode: 'create' },
      );
      created.close();
    }
  } finally {
    db.close();
  }
}
