/**
 * The entity-scoped RAG API's stores (seed 002): its two JSON stores, the uploads, and per
 * entity a FAISS vector store with the chunk records it is read with.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { validateFaissStore, faissStore } from '../../stores/faiss/faiss-store';
import { filesStore, validateFiles } from '../../stores/files/files-store';
import { jsonStore } from '../../stores/json-store/json-store';
import { parseJsonFile, recordCount } from '../../stores/json-store/json-parse';
import { ChatSessionsFileSchema, EntitiesFileSchema } from '../../stores/json-store/seed-shapes';
import { storeCheck } from '../../stores/store-finding';
import type { ProfileStore } from '../profile';
import { defineStore, summarised } from '../profile-store';
import { entityFolder, entityRagPaths } from './entity-rag-paths';
import { entityUploadFindings } from './entity-uploads';

const JSON_VALIDATION =
  'The file parses whole (the app writes it atomically, so a file cut short is corruption) and has the app’s record shape.';

/** `entities.json`: every entity, its description and its document list. */
const entities = defineStore({
  id: 'entities',
  title: 'the entities (entities.json)',
  kind: jsonStore,
  paths: [entityRagPaths.entitiesJson],
  shape: 'file',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({
    dir: path.dirname(absolute),
    files: [path.basename(absolute)],
    schema: EntitiesFileSchema,
  }),
  validation: JSON_VALIDATION,
  label: () => 'entities.json',
});

/** `chat_sessions.json`: every chat session with its whole message history. */
const chatSessions = defineStore({
  id: 'chat-sessions',
  title: 'the chat sessions (chat_sessions.json)',
  kind: jsonStore,
  paths: [entityRagPaths.chatSessionsJson],
  shape: 'file',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({
    dir: path.dirname(absolute),
    files: [path.basename(absolute)],
    schema: ChatSessionsFileSchema,
  }),
  validation: JSON_VALIDATION,
  label: () => 'chat_sessions.json',
});

/** `data/uploads/<entity>/`: the files people uploaded, compared with entities.json. */
const uploads = defineStore({
  id: 'uploads',
  title: 'uploaded files',
  kind: filesStore,
  paths: [entityRagPaths.uploads],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation:
    'Every byte of every file is read back; upload folders of no entity, entities without uploads and listed documents whose file is gone are named.',
  label: () => 'uploads',
  validate: async ({ root }, location, options) => {
    const read = await validateFiles(location, options);
    return summarised(
      storeCheck(read.facts, [...read.findings, ...(await entityUploadFindings(root))]),
    );
  },
});

/** `entity_scoped/entities/<entity>/{doc_to_chunks,chunk_metadata}.json`. */
const chunkRecords = defineStore({
  id: 'chunk-records',
  title: 'chunk records of each entity',
  kind: jsonStore,
  paths: [`${entityRagPaths.entities}/*`],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({
    dir: absolute,
    files: [entityFolder.docToChunks, entityFolder.chunkMetadata],
  }),
  validation: 'Both files parse whole.',
  label: ({ relative }) => `chunk records of ${path.posix.basename(relative)}`,
});

/**
 * The chunks chunk_metadata.json lists: one per vector of the entity's index. Null when it
 * does not read (the chunk records' own check says why).
 */
export async function chunkCount(entityDir: string): Promise<number | null> {
  try {
    const parsed = parseJsonFile(
      await fs.readFile(path.join(entityDir, entityFolder.chunkMetadata), 'utf8'),
    );
    return parsed.ok ? recordCount(parsed.value) : null;
  } catch {
    return null;
  }
}

/**
 * `entity_scoped/entities/<entity>/vector_store/`: the entity's FAISS index. It holds the only
 * copy of the vectors (seed 002, "Missing FAISS Index": re-upload the documents), so it is a
 * source and irreplaceable, not something Tend or the app rebuilds.
 */
const entityIndex = defineStore({
  id: 'entity-index',
  title: 'FAISS index of each entity',
  kind: faissStore,
  paths: [`${entityRagPaths.entities}/*/${entityFolder.vectorStore}`],
  shape: 'folder',
  category: 'irreplaceable',
  origin: { kind: 'source' },
  locate: ({ absolute }) => ({ dir: absolute }),
  validation:
    'index.faiss is read by FAISS’s own format to its last byte, index.pkl is a whole pickle, and the index holds as many vectors as chunk_metadata.json lists chunks.',
  label: ({ relative }) => `FAISS index of ${relative.split('/').at(-2) ?? relative}`,
  validate: async ({ absolute }, location) => {
    const expected = await chunkCount(path.dirname(absolute));
    return summarised(
      await validateFaissStore(
        expected === null ? location : { ...location, expectedVectors: expected },
      ),
    );
  },
});

/** The entity-scoped RAG API's stores. */
export const entityRagStores: ReadonlyArray<ProfileStore> = [
  entities,
  chatSessions,
  uploads,
  chunkRecords,
  entityIndex,
];
