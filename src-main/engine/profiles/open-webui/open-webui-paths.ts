/**
 * Open WebUI's data folder (`DATA_DIR`), root-relative. Each path and what it holds is in
 * stores/layouts/open-webui.ts with the line of Open WebUI's source it comes from.
 */
export const openWebuiPaths = {
  /** backend/open_webui/env.py: DATABASE_URL defaults to sqlite:///{DATA_DIR}/webui.db */
  webuiDb: 'webui.db',
  /** backend/open_webui/config.py: UPLOAD_DIR = DATA_DIR / "uploads" */
  uploads: 'uploads',
  /** backend/open_webui/config.py: CHROMA_DATA_PATH = f"{DATA_DIR}/vector_db" */
  vectorDb: 'vector_db',
  /** backend/open_webui/config.py: CACHE_DIR = DATA_DIR / "cache" */
  cache: 'cache',
  /** Dockerfile: SENTENCE_TRANSFORMERS_HOME="/app/backend/data/cache/embedding/models" */
  embeddingModels: 'cache/embedding/models',
  /** backend/open_webui/config.py: WHISPER_MODEL_DIR = f"{CACHE_DIR}/whisper/models" */
  whisperModels: 'cache/whisper/models',
  /** backend/open_webui/env.py: AUDIT_LOGS_FILE_PATH = f"{DATA_DIR}/audit.log" */
  auditLog: 'audit.log',
} as const;
