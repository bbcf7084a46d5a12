/**
 * The entity-scoped RAG API's profile (seed 002): JSON stores of entities and chat sessions,
 * uploads per entity, and per entity a FAISS index that holds the only copy of its vectors.
 */
import type { Profile } from '../profile';
import { entityRagDemo } from './entity-rag-demo';
import { entityRagPaths } from './entity-rag-paths';
import { entityRagCategoryRules } from './entity-rag-rules';
import { entityScope } from './entity-rag-scopes';
import { entityRagStores } from './entity-rag-stores';

/** The entity-scoped RAG API's profile. */
export const entityRagProfile: Profile = {
  id: 'entity-rag',
  name: 'Entity-scoped RAG API',
  appName: 'the RAG API',
  summary:
    'An entity-scoped RAG API’s folder (its DATA_DIR): entities and chat sessions in JSON stores under data/api_storage/, uploads per entity, and per entity a FAISS index with its chunk records under data/entity_scoped/.',
  markers: [
    // The per-entity indexes are this app's own; the JSON stores alone are also what the
    // native assistant's old data/ layout kept.
    {
      path: `${entityRagPaths.entities}/`,
      what: 'the per-entity indexes',
      shape: 'folder',
      weight: 0.8,
    },
    { path: entityRagPaths.entitiesJson, what: 'the entity store', shape: 'json', weight: 0.4 },
    {
      path: entityRagPaths.chatSessionsJson,
      what: 'the chat session store',
      shape: 'json',
      weight: 0.3,
    },
    { path: `${entityRagPaths.uploads}/`, what: 'uploads', shape: 'folder', weight: 0 },
    { path: `${entityRagPaths.logs}/`, what: 'logs', shape: 'folder', weight: 0 },
  ],
  paths: entityRagPaths,
  categoryRules: entityRagCategoryRules,
  stores: entityRagStores,
  scopes: [entityScope],
  runningApp: {
    // Seed 002 locks its files with per-file thread locks inside the process ("File Locks"),
    // leaving nothing on disk, and runs as `python main.py`: a name too common to mean it.
    lockFiles: [],
    processNames: [],
  },
  dataLocation: [
    {
      kind: 'settings-file',
      file: 'api/config.py',
      key: 'Config.DATA_DIR',
      note: 'The API keeps all its data in Config.DATA_DIR; the app reads data/ from there.',
    },
  ],
  assistantStore: null,
  newRootFolders: [
    entityRagPaths.apiStorage,
    entityRagPaths.uploads,
    entityRagPaths.entities,
    entityRagPaths.logs,
  ],
  demo: entityRagDemo,
};
