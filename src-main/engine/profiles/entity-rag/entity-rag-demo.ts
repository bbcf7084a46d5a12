/**
 * A demo folder of the entity-scoped RAG API (seed 002): entities with their uploads, chat
 * sessions, per entity a FAISS index with its chunk records, and logs. One entity has no
 * uploads yet and one upload folder belongs to a deleted entity, as real folders have.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { DEMO_TOPICS, paragraph, sentence } from '../../demo/demo-text';
import { DEFAULT_DEMO_NOW, daysBefore } from '../../demo/demo-time';
import { SeededRandom } from '../../demo/random';
import { writeFaissDemo } from '../../stores/faiss/faiss-store';
import { demoChatSessions, demoEntities } from '../../stores/json-store/json-demo';
import type { EntityRecord } from '../../stores/json-store/seed-shapes';
import { listFiles } from '../../stores/list-files';
import type { ProfileDemo } from '../profile';
import { entityFolder, entityRagPaths } from './entity-rag-paths';

const ENTITIES = { small: 3, medium: 6, large: 12 } as const;
const CHUNKS_PER_DOCUMENT = { small: [3, 8], medium: [6, 16], large: [12, 40] } as const;

/** The entity of the demo that has no uploads yet. */
export const DEMO_EMPTY_ENTITY = 'company_900';
/** The upload folder the demo leaves of a deleted entity. */
export const DEMO_ORPHAN_UPLOADS = 'company_404';

function keyed<T>(records: ReadonlyArray<T>, key: (record: T) => string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const record of records) out[key(record)] = record;
  return out;
}

/** The app writes its JSON stores with a temp file and a rename (seed 002, "Atomic Writes"). */
async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function writeUpload(root: string, relative: string, body: string): Promise<void> {
  const file = path.join(root, ...relative.split('/'));
  await fs.mkdir(path.dirname(file), { recursive: true });
  // A PDF's first line, so the file is what its name says to `file(1)`; the text follows.
  const head = relative.endsWith('.pdf') ? '%PDF-1.4\n' : '';
  await fs.writeFile(file, `${head}${body}\n`);
}

/** Writes the demo into `root` (empty but for Tend's own folder). */
export const entityRagDemo: ProfileDemo = {
  async write({ root, size, seed, signal, onProgress }) {
    const key = `entity-rag/${seed}`;
    const rng = new SeededRandom(key);
    const withUploads = demoEntities(key, ENTITIES[size]);
    const empty: EntityRecord = {
      entity_id: DEMO_EMPTY_ENTITY,
      entity_name: 'Harbour Labs',
      description: 'Created for a pitch; nothing uploaded yet.',
      metadata: { industry: 'logistics', tier: 'bronze' },
      documents: [],
      created_at: daysBefore(DEFAULT_DEMO_NOW, 3).toISOString(),
    };
    const entities = [...withUploads, empty];
    const [lowChunks, highChunks] = CHUNKS_PER_DOCUMENT[size];
    let done = 0;
    for (const [index, entity] of withUploads.entries()) {
      signal.throwIfAborted();
      const topic = DEMO_TOPICS[index % DEMO_TOPICS.length]!;
      const docToChunks: Record<string, number[]> = {};
      const chunkMetadata: Record<string, unknown> = {};
      let row = 0;
      for (const document of entity.documents) {
        await writeUpload(root, document.file_path, paragraph(rng, topic, rng.int(20, 80)));
        const rows: number[] = [];
        for (let chunk = rng.int(lowChunks, highChunks); chunk > 0; chunk--) {
          rows.push(row);
          chunkMetadata[String(row)] = {
            doc_id: document.doc_id,
            filename: document.filename,
            entity_id: entity.entity_id,
            chunk_index: rows.length - 1,
            text: sentence(rng, topic),
          };
          row++;
        }
        docToChunks[document.doc_id] = rows;
      }
      const folder = path.join(root, entityRagPaths.entities, entity.entity_id);
      await writeFaissDemo(
        { dir: path.join(folder, entityFolder.vectorStore) },
        { seed: `${key}/${entity.entity_id}`, vectors: row, topic: index },
      );
      await writeJson(path.join(folder, entityFolder.docToChunks), docToChunks);
      await writeJson(path.join(folder, entityFolder.chunkMetadata), chunkMetadata);
      onProgress({ filesDone: ++done, filesTotal: withUploads.length, currentPath: folder });
    }
    await writeJson(
      path.join(root, entityRagPaths.entitiesJson),
      keyed(entities, (entity) => entity.entity_id),
    );
    await writeJson(
      path.join(root, entityRagPaths.chatSessionsJson),
      keyed(demoChatSessions(key, withUploads), (session) => session.session_id),
    );
    // An entity deleted through the API leaves its uploads behind.
    await writeUpload(
      root,
      `${entityRagPaths.uploads}/${DEMO_ORPHAN_UPLOADS}/old-contract.txt`,
      paragraph(rng, DEMO_TOPICS[0]!, 12),
    );
    const log: string[] = [];
    for (let day = 14; day > 0; day--) {
      const at = daysBefore(DEFAULT_DEMO_NOW, day).toISOString();
      log.push(`${at} INFO api.main: Loaded ${entities.length} entities from entities.json`);
      log.push(`${at} INFO api.search: entity=${rng.pick(withUploads).entity_id} k=5`);
    }
    await fs.mkdir(path.join(root, entityRagPaths.logs), { recursive: true });
    await fs.writeFile(path.join(root, entityRagPaths.logs, 'app.log'), `${log.join('\n')}\n`);

    const files = (await listFiles(root)).filter((file) => !file.path.startsWith('.tend/'));
    return {
      root,
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.bytes, 0),
      entities: entities.length,
    };
  },
};
