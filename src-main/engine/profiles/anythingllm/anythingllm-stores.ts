/**
 * AnythingLLM's stores: anythingllm.db, the LanceDB tables it says each workspace has (and the
 * rows each must hold), and the folders of files people gave it.
 */
import path from 'node:path';
import { workspaceVectorCounts } from '../../stores/layouts/anythingllm-vectors';
import { filesStore } from '../../stores/files/files-store';
import { lancedbStore } from '../../stores/lancedb/lancedb-store';
import { checkDatabase } from '../../stores/sqlite/sqlite-check';
import { sqliteStore } from '../../stores/sqlite/sqlite-store';
import type { ProfileStore } from '../profile';
import { defineStore, summarised } from '../profile-store';
import { anythingLlmPaths as p } from './anythingllm-paths';

/** Workspaces, documents, vectors, chats, users, settings (Prisma). */
const database = defineStore({
  id: 'anythingllm-db',
  title: 'AnythingLLM’s database (anythingllm.db)',
  kind: sqliteStore,
  paths: [p.db],
  shape: 'file',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ file: absolute }),
  validation: 'PRAGMA integrity_check, read-only.',
  label: () => 'anythingllm.db',
  validate: async ({ absolute }) =>
    summarised(await checkDatabase(absolute, { full: true, label: p.db })),
});

/** One LanceDB table per workspace that embedded something. */
const lancedb = defineStore({
  id: 'lancedb',
  title: 'the LanceDB vector tables',
  kind: lancedbStore,
  paths: [p.lancedb],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation:
    'Every table opens with LanceDB and is read; each workspace of anythingllm.db that has vectors has its table, holding as many rows as its document_vectors.',
  label: () => 'LanceDB tables',
  validate: async ({ root }, location, options) => {
    let expectedRows: Record<string, number> | undefined;
    try {
      expectedRows = workspaceVectorCounts(root);
    } catch {
      // No readable database: the tables are still opened and counted.
    }
    // AnythingLLM creates a workspace's table when it first embeds into it.
    const expectedTables = Object.entries(expectedRows ?? {})
      .filter(([, vectors]) => vectors > 0)
      .map(([slug]) => slug);
    const check = summarised(
      await lancedbStore.validate({ ...location, expectedRows, expectedTables }, options),
    );
    if (!check.ok) return check;
    const facts = check.facts as { tables: ReadonlyArray<{ rows: number | null }> };
    const vectors = facts.tables.reduce((sum, table) => sum + (table.rows ?? 0), 0);
    return {
      ...check,
      summary: `${facts.tables.length} tables, ${vectors} vectors, as anythingllm.db lists them`,
    };
  },
});

/** A folder of files the person gave AnythingLLM. */
function folderStore(id: string, folder: string, title: string): ProfileStore {
  return defineStore({
    id,
    title,
    kind: filesStore,
    paths: [folder],
    shape: 'folder',
    category: 'irreplaceable',
    locate: ({ absolute }) => ({ dir: absolute }),
    validation: 'Every byte of every file is read back.',
    label: () => path.posix.basename(folder),
  });
}

/** AnythingLLM's stores, each source before what refers to it. */
export const anythingLlmStores: ReadonlyArray<ProfileStore> = [
  database,
  lancedb,
  folderStore('documents', p.documents, 'parsed documents'),
  folderStore('direct-uploads', p.directUploads, 'files attached to chats'),
  folderStore('plugins', p.plugins, 'agent skills and plugins'),
];
