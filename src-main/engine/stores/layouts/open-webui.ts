/**
 * Open WebUI's data folder, from github.com/open-webui/open-webui (backend/open_webui/…).
 */
import type { SystemLayout } from './system-layout';

const ENV = 'backend/open_webui/env.py';
const CONFIG = 'backend/open_webui/config.py';

/** Open WebUI's `DATA_DIR`. */
export const openWebuiLayout: SystemLayout = {
  id: 'open-webui',
  name: 'Open WebUI',
  sourceRepository: 'github.com/open-webui/open-webui',
  location: {
    env: 'DATA_DIR',
    defaults: [
      {
        platform: 'docker',
        path: '/app/backend/data',
        source: `${ENV}: DATA_DIR = Path(os.getenv("DATA_DIR", BACKEND_DIR / "data")); the image runs from /app/backend`,
      },
      {
        platform: 'linux',
        path: '<python site-packages>/open_webui/data',
        source: `${ENV}: with FROM_INIT_PY (pip install open-webui), DATA_DIR defaults to OPEN_WEBUI_DIR / "data"`,
      },
    ],
    settingsFile: null,
  },
  paths: [
    {
      path: 'webui.db',
      what: 'Users, chats, files, knowledge, settings (SQLite)',
      category: 'irreplaceable',
      store: 'sqlite',
      source: `${ENV}: DATABASE_URL defaults to sqlite:///{DATA_DIR}/webui.db`,
    },
    {
      path: 'uploads',
      what: 'Uploaded files, each stored as <file id>_<original name>',
      category: 'irreplaceable',
      store: 'files',
      source: `${CONFIG}: UPLOAD_DIR = DATA_DIR / "uploads"; backend/open_webui/routers/files.py: filename = f"{id}_{filename}" before Storage.upload_file`,
    },
    {
      path: 'vector_db',
      what: 'Chroma persist directory: embeddings of files and knowledge',
      category: 'irreplaceable',
      store: 'chroma',
      source: `${CONFIG}: CHROMA_DATA_PATH = f"{DATA_DIR}/vector_db"`,
    },
    {
      path: 'cache/embedding/models',
      what: 'Downloaded embedding model (sentence-transformers)',
      category: 'redownloadable',
      store: null,
      source: 'Dockerfile: SENTENCE_TRANSFORMERS_HOME="/app/backend/data/cache/embedding/models"',
    },
    {
      path: 'cache/whisper/models',
      what: 'Downloaded Whisper speech model',
      category: 'redownloadable',
      store: null,
      source: `${CONFIG}: WHISPER_MODEL_DIR = os.getenv("WHISPER_MODEL_DIR", f"{CACHE_DIR}/whisper/models")`,
    },
    {
      path: 'cache/audio',
      what: 'Generated speech, cached',
      category: 'disposable',
      store: null,
      source: `${CONFIG}: CACHE_DIR = DATA_DIR / "cache"; speech is cached under CACHE_DIR / "audio"`,
    },
    {
      path: 'cache/image',
      what: 'Generated images, cached',
      category: 'disposable',
      store: null,
      source: `${CONFIG}: CACHE_DIR = DATA_DIR / "cache"; generated images are cached under CACHE_DIR / "image"`,
    },
    {
      path: 'cache/tiktoken',
      what: 'Tokenizer files',
      category: 'disposable',
      store: null,
      source: 'Dockerfile: TIKTOKEN_CACHE_DIR="/app/backend/data/cache/tiktoken"',
    },
    {
      path: 'audit.log',
      what: 'Audit log (rotated at 10 MB)',
      category: 'disposable',
      store: null,
      source: `${ENV}: AUDIT_LOGS_FILE_PATH = f"{DATA_DIR}/audit.log"`,
    },
  ],
  tables: [
    {
      database: 'webui.db',
      table: 'file',
      columns: [
        'id',
        'user_id',
        'hash',
        'filename',
        'path',
        'data',
        'meta',
        'access_control',
        'created_at',
        'updated_at',
      ],
      why: 'Which uploads are in use: a file row’s `path` names its upload; uploads no row names are orphans.',
      source:
        'backend/open_webui/models/files.py (class File, __tablename__ = "file"); migrations/versions/7e5b5dc7342b_init.py creates it, c29facfe716b_update_file_table_path.py adds `path` (moved out of meta)',
    },
  ],
};
