/**
 * The entity-scoped RAG API's layout, root-relative: the folder that holds `data/`
 * (`Config.DATA_DIR`), as seed document 002 draws it under "Storage Architecture".
 */
export const entityRagPaths = {
  data: 'data',
  /** "API persistent storage": entities.json and chat_sessions.json. */
  apiStorage: 'data/api_storage',
  entitiesJson: 'data/api_storage/entities.json',
  chatSessionsJson: 'data/api_storage/chat_sessions.json',
  /** "Uploaded files", one folder per entity: `data/uploads/{entity_id}/`. */
  uploads: 'data/uploads',
  /** "Entity-scoped RAG data", one folder per entity. */
  entities: 'data/entity_scoped/entities',
  logs: 'data/logs',
} as const;

/** The files and folders of one entity inside `entity_scoped/entities/<id>/` (seed 002). */
export const entityFolder = {
  /** "FAISS vector indexes for each entity": LangChain's `save_local` folder. */
  vectorStore: 'vector_store',
  docToChunks: 'doc_to_chunks.json',
  chunkMetadata: 'chunk_metadata.json',
} as const;

/** The two folders of one entity: its uploads, and its index with its chunk records. */
export function entityFolders(id: string): [string, string] {
  return [`${entityRagPaths.uploads}/${id}`, `${entityRagPaths.entities}/${id}`];
}

/** The entity a root-relative path belongs to: `data/uploads/<id>/…` or `…/entities/<id>/…`. */
export function entityOf(relative: string): string | null {
  for (const folder of [entityRagPaths.uploads, entityRagPaths.entities]) {
    if (relative.startsWith(`${folder}/`)) {
      const id = relative.slice(folder.length + 1).split('/')[0];
      return id ? id : null;
    }
  }
  return null;
}
