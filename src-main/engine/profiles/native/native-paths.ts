/**
 * The native assistant's layout, root-relative (DESIGN §3, from seed documents 000 and 004).
 * Only the native profile's own modules read this constant; every domain asks the session
 * (`session.paths`, `session.assistant()`), so a root of another profile never meets it.
 */
export const nativePaths = {
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
  /** Files a legacy migration set aside (in the way, or duplicates): the person's, kept. */
  legacySetAside: 'local_data/legacy-set-aside',
} as const;

/** The native layout's paths, by name. */
export type NativePaths = typeof nativePaths;

/** Folders a new native root starts with (`tend init`). */
export const nativeNewRootFolders: ReadonlyArray<string> = [
  nativePaths.vectorStore,
  nativePaths.documents,
  nativePaths.modelCache,
  nativePaths.cache,
  nativePaths.logs,
  nativePaths.config,
];
