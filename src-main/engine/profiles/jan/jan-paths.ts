/**
 * Jan's data folder (`JAN_DATA_FOLDER`, or `data_folder` in Jan's settings.json), root-relative.
 * threads/ is in stores/layouts/jan.ts with its source; the other places are those of Jan's
 * "Jan Data Folder" documentation (jan.ai/docs/data-folder) and issue 14 item 7.
 */
export const janPaths = {
  /** src-tauri/src/core/threads/constants.rs: THREADS_DIR = "threads" */
  threads: 'threads',
  /** One folder per assistant, each with its assistant.json. */
  assistants: 'assistants',
  /** Downloaded models (older releases: models/<id>/model.json). */
  models: 'models',
  /** The llama.cpp engine's models and the backends it downloaded (newer releases). */
  llamacppModels: 'llamacpp/models',
  llamacppBackends: 'llamacpp/backends',
  /** Extensions Jan installs into the folder at start. */
  extensions: 'extensions',
  logs: 'logs',
  /**
   * Where the vector databases live when the data folder has not moved
   * (src-tauri/plugins/tauri-plugin-vector-db/src/db.rs default_base_dir(): data_dir/Jan/data/db).
   */
  vectorDbs: 'db',
} as const;

/** The thread file and the messages file of a thread folder (threads/constants.rs). */
export const THREAD_FILE = 'thread.json';
export const MESSAGES_FILE = 'messages.jsonl';
export const ASSISTANT_FILE = 'assistant.json';
