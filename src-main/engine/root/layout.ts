/** Root-relative paths of the default layout (DESIGN §3). */
export const layout = {
  assistantDir: 'local_data/internal_assistant',
  assistantDb: 'local_data/internal_assistant/assistant.db',
  vectorStore: 'local_data/internal_assistant/vector_store',
  documents: 'local_data/internal_assistant/documents',
  models: 'local_data/models',
  modelCache: 'local_data/models/cache',
  cache: 'local_data/cache',
  logs: 'local_data/logs',
  config: 'config',
  legacyData: 'data',
  tend: '.tend',
  catalog: '.tend/catalog.db',
  settings: '.tend/settings.json',
  locks: '.tend/locks',
  staging: '.tend/staging',
} as const;

/** Folders a new root starts with. */
export const defaultFolders: ReadonlyArray<string> = [
  layout.vectorStore,
  layout.documents,
  layout.modelCache,
  layout.cache,
  layout.logs,
  layout.config,
  layout.locks,
];
