/**
 * The entity-scoped RAG API's scope: one entity. Its files are its two folders, as seed 002's
 * own "Backup specific entity" takes them (`tar … data/uploads/company_123/
 * data/entity_scoped/entities/company_123/`): the uploads, and the FAISS index with its chunk
 * records. Its record in entities.json and its chat sessions stay as they are in a restore of
 * one entity (restore entities.json or chat_sessions.json by path to bring those back).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProfileScope, ScopeItem } from '../profile';
import { entityFolders, entityOf, entityRagPaths } from './entity-rag-paths';
import { readEntities } from './entity-uploads';

async function folderNames(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name);
}

/** The entities of a root: those of entities.json, and any folder left of another. */
export async function listEntities(root: string): Promise<ReadonlyArray<ScopeItem>> {
  const byId = new Map<string, ScopeItem>();
  for (const entity of (await readEntities(root)) ?? []) {
    byId.set(entity.id, { id: entity.id, name: entity.name });
  }
  for (const folder of [entityRagPaths.uploads, entityRagPaths.entities]) {
    for (const name of await folderNames(path.join(root, folder))) {
      if (!byId.has(name)) byId.set(name, { id: name, name });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** An entity: its uploads, its FAISS index and its chunk records. */
export const entityScope: ProfileScope = {
  id: 'entity',
  singular: 'entity',
  plural: 'entities',
  description:
    'An entity (a company, a project): its uploaded files, its FAISS index and its chunk records.',
  list: listEntities,
  pathsOf: (id) => entityFolders(id),
  idOf: entityOf,
};
