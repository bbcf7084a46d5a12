/**
 * The native profile's stores: assistant.db (SQLite, the source of everything), one HNSW index
 * per collection (derived from assistant.db), the warm tier history.db, the uploaded
 * documents and the assistant's config folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RestoreCheck } from '../../../../src-shared/models/restore';
import {
  ASSISTANT_SCHEMA_VERSION,
  decodeEmbedding,
  listCollections,
  openAssistantDb,
  type CollectionRecord,
} from '../../store/assistant-db';
import { filesStore } from '../../stores/files/files-store';
import { hnswlibStore, validateHnswIndex } from '../../stores/hnswlib/hnswlib-store';
import { sqliteStore } from '../../stores/sqlite/sqlite-store';
import { storeCheck, type StoreFinding } from '../../stores/store-finding';
import { checkIndexFile } from '../../vectors/index-check';
import type { InstanceCheck, ProfileStore } from '../profile';
import { defineStore, summarised } from '../profile-store';
import { nativePaths } from './native-paths';

const INDEX_FILE = 'index.hnsw';

/** A check that passed, or failed, with its one-line summary. */
function verdict(ok: boolean, summary: string, finding?: Omit<StoreFinding, 'severity'>) {
  const findings: StoreFinding[] = finding ? [{ ...finding, severity: 'problem' }] : [];
  return { ...storeCheck<unknown>({}, findings), ok, summary } satisfies InstanceCheck;
}

/**
 * assistant.db opens with a schema this Tend knows. Its integrity (`PRAGMA integrity_check`)
 * is the SQLite store's own check; a restore runs it on every restored database while it
 * unpacks, so this is what it adds: the assistant can use it.
 */
export function checkAssistantDbOpens(file: string): InstanceCheck {
  try {
    const db = openAssistantDb(file, { readonly: true });
    db.close();
    return verdict(true, 'schema accepted');
  } catch (error) {
    return verdict(false, (error as Error).message, {
      code: 'SQLITE_UNREADABLE',
      path: path.basename(file),
      message: `assistant.db cannot be opened as the assistant's store: ${(error as Error).message}`,
      action: 'Restore assistant.db from a backup that verifies.',
    });
  }
}

/** The collection, from assistant.db, that an index folder belongs to (null: no database or none). */
function collectionOf(dbFile: string, id: string): CollectionRecord | null | 'unreadable' {
  if (!fs.existsSync(dbFile)) return null;
  try {
    const db = openAssistantDb(dbFile, { readonly: true });
    try {
      return listCollections(db).find((collection) => collection.id === id) ?? null;
    } finally {
      db.close();
    }
  } catch {
    return 'unreadable';
  }
}

/**
 * A collection's index loads, holds exactly the collection's live chunks, and answers a test
 * query with the first chunk's own embedding. An index whose collection assistant.db does not
 * know (or with no assistant.db) is checked on its own: its files are sound.
 */
export async function checkNativeIndex(root: string, dir: string): Promise<InstanceCheck> {
  const id = path.basename(dir);
  const dbFile = path.join(root, nativePaths.assistantDb);
  const file = path.join(dir, INDEX_FILE);
  const collection = collectionOf(dbFile, id);
  if (collection === 'unreadable') {
    return verdict(false, 'assistant.db cannot be read, so the index cannot be compared with it', {
      code: 'SQLITE_UNREADABLE',
      path: INDEX_FILE,
      message: `The index of ${id} cannot be compared with assistant.db, which cannot be read.`,
      action: 'Restore assistant.db from a backup that verifies.',
    });
  }
  if (collection === null) {
    if (!fs.existsSync(path.join(dir, 'index.json'))) {
      return verdict(true, 'not a collection of assistant.db; left as it is');
    }
    return summarised(await validateHnswIndex({ dir }));
  }
  if (!fs.existsSync(file)) {
    return verdict(true, 'no index file; the assistant builds it from assistant.db');
  }
  const broken = (reason: string) =>
    verdict(false, reason, {
      code: 'HNSW_INDEX_BROKEN',
      path: INDEX_FILE,
      message: `The index of collection ${id}: ${reason}.`,
      action: `Rebuild it from assistant.db (tend vectors compact ${id}); nothing is lost, it is derived.`,
    });
  try {
    // hnswlib trusts its file: a corrupt one would crash the process, not throw.
    const checked = checkIndexFile(file, collection.dimension);
    if (!checked.ok) return broken(`the index file is not sound: ${checked.reason}`);
    // The native addon loads when an index is checked, not with the profile.
    const { default: hnswlib } = await import('hnswlib-node');
    const index = new hnswlib.HierarchicalNSW(collection.space, collection.dimension);
    index.readIndexSync(file);
    const count = index.getCurrentCount();
    if (count !== collection.chunkCount) {
      return broken(
        `the index holds ${count} vectors but assistant.db has ${collection.chunkCount} live chunks`,
      );
    }
    const db = openAssistantDb(dbFile, { readonly: true });
    let row: { id: number; embedding: Buffer } | undefined;
    try {
      row = db
        .prepare(
          'SELECT id, embedding FROM chunks WHERE collection_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1',
        )
        .get(id) as { id: number; embedding: Buffer } | undefined;
    } finally {
      db.close();
    }
    if (!row) return verdict(true, 'loads; empty collection');
    index.setEf(Math.max(collection.efSearch, 10));
    const result = index.searchKnn(
      Array.from(decodeEmbedding(row.embedding, collection.dimension)),
      Math.min(5, count),
    );
    return result.neighbors.length > 0
      ? verdict(
          true,
          `loads, ${count} vectors match assistant.db, a test query returns ${result.neighbors.length} results`,
        )
      : broken('a test query returned nothing');
  } catch (error) {
    return broken(`does not load: ${(error as Error).message}`);
  }
}

/** A store check as a restore reports it. */
export function asRestoreCheck(name: string, check: InstanceCheck): RestoreCheck {
  return { name, ok: check.ok, detail: check.summary };
}

/** assistant.db: collections, documents, chunks with embeddings, chats, interactions. */
const assistantDb = defineStore({
  id: 'assistant-db',
  title: "the assistant's database",
  kind: sqliteStore,
  paths: [nativePaths.assistantDb],
  shape: 'file',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ file: absolute }),
  validation: `PRAGMA integrity_check, then it opens with a schema this Tend knows (version ${ASSISTANT_SCHEMA_VERSION} or older).`,
  label: () => 'assistant.db opens',
  validate: async ({ absolute }) => checkAssistantDbOpens(absolute),
});

/** The warm tier of interactions that archival moves out of assistant.db. */
const historyDb = defineStore({
  id: 'history-db',
  title: 'the interaction history (warm tier)',
  kind: sqliteStore,
  paths: [`${nativePaths.assistantDir}/history.db`],
  shape: 'file',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ file: absolute }),
  validation: 'PRAGMA integrity_check.',
  label: () => 'history.db',
});

/** One HNSW index per collection, derived from assistant.db. */
const indexes = defineStore({
  id: 'indexes',
  title: 'vector indexes',
  kind: hnswlibStore,
  paths: [`${nativePaths.vectorStore}/*`],
  shape: 'folder',
  category: 'rebuildable',
  origin: {
    kind: 'derived',
    from: 'assistant-db',
    rebuiltBy: 'Indexes → Compact (tend vectors compact COLLECTION) rebuilds it from assistant.db',
  },
  locate: ({ absolute }) => ({ dir: absolute }),
  validation:
    'The index file is read by format first, then loads, holds exactly the collection’s live chunks, and a test query finds neighbours.',
  label: ({ relative }) => `index ${path.posix.basename(relative)}`,
  validate: ({ root, absolute }) => checkNativeIndex(root, absolute),
});

/** The originals people uploaded, one folder per collection. */
const documents = defineStore({
  id: 'documents',
  title: 'uploaded documents',
  kind: filesStore,
  paths: [nativePaths.documents],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation: 'Every byte of every file is read back.',
  label: () => 'documents',
});

/** The assistant's settings folder. */
const config = defineStore({
  id: 'config',
  title: "the assistant's settings",
  kind: filesStore,
  paths: [nativePaths.config],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation: 'Every byte of every file is read back.',
  label: () => 'config',
});

/** The native profile's stores, each source before what is derived from it. */
export const nativeStores: ReadonlyArray<ProfileStore> = [
  assistantDb,
  historyDb,
  indexes,
  documents,
  config,
];
