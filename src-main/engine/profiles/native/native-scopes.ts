/**
 * The native profile's scope: a collection. Its files are its index folder and its documents
 * folder; its records (the collection, its documents, chunks, chat sessions and messages) are
 * rows of assistant.db, merged by collection-merge.ts on a restore of one collection.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listCollections, openAssistantDb } from '../../store/assistant-db';
import type { ProfileScope, ScopeItem } from '../profile';
import { mergeCollection } from './collection-merge';
import { nativePaths } from './native-paths';

/** The collections of a native root: those of assistant.db, and any folder left of another. */
async function listNativeCollections(root: string): Promise<ReadonlyArray<ScopeItem>> {
  const byId = new Map<string, ScopeItem>();
  const dbFile = path.join(root, nativePaths.assistantDb);
  if (fs.existsSync(dbFile)) {
    try {
      const db = openAssistantDb(dbFile, { readonly: true });
      try {
        for (const collection of listCollections(db)) {
          byId.set(collection.id, { id: collection.id, name: collection.name });
        }
      } finally {
        db.close();
      }
    } catch {
      // A database that cannot be read lists no collections; the folders still do.
    }
  }
  for (const folder of [nativePaths.vectorStore, nativePaths.documents]) {
    let names: string[] = [];
    try {
      names = fs
        .readdirSync(path.join(root, folder), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
        .map((entry) => entry.name);
    } catch {
      // No such folder: no collections there.
    }
    for (const name of names) if (!byId.has(name)) byId.set(name, { id: name, name });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const collectionFolders = [nativePaths.vectorStore, nativePaths.documents] as const;

/** The collection a root-relative path belongs to: `vector_store/<id>/…` or `documents/<id>/…`. */
export function nativeCollectionOf(relative: string): string | null {
  for (const folder of collectionFolders) {
    if (relative.startsWith(`${folder}/`)) {
      const id = relative.slice(folder.length + 1).split('/')[0];
      return id ? id : null;
    }
  }
  return null;
}

/** A collection: its index, its documents, and its rows in assistant.db. */
export const collectionScope: ProfileScope = {
  id: 'collection',
  singular: 'collection',
  plural: 'collections',
  description:
    'A collection of documents: its uploaded originals, its index, and its rows in assistant.db (documents, chunks, chat sessions).',
  list: listNativeCollections,
  pathsOf: (id) => collectionFolders.map((folder) => `${folder}/${id}`),
  idOf: nativeCollectionOf,
  records: {
    database: nativePaths.assistantDb,
    async merge({ live, archived, target, id }) {
      const counts = await mergeCollection(live, archived, target, id);
      return {
        rows: {
          documents: counts.documents,
          chunks: counts.chunks,
          'chat sessions': counts.chatSessions,
        },
      };
    },
  },
};
