/**
 * AnythingLLM's storage folder (`STORAGE_DIR`), root-relative. stores/layouts/anythingllm.ts
 * cites the line of AnythingLLM's source each comes from.
 */
export const anythingLlmPaths = {
  /** server/prisma/schema.prisma: url = "file:../storage/anythingllm.db" */
  db: 'anythingllm.db',
  /** server/utils/files/index.js: documentsPath */
  documents: 'documents',
  /** server/utils/vectorDbProviders/lance/index.js: uri = <storage>/lancedb */
  lancedb: 'lancedb',
  /** server/utils/files/index.js: vectorCachePath */
  vectorCache: 'vector-cache',
  /** server/utils/files/index.js: directUploadsPath */
  directUploads: 'direct-uploads',
  models: 'models',
  plugins: 'plugins',
  logs: 'logs',
  tmp: 'tmp',
} as const;
