/**
 * Chroma's persistent layout, taken from Chroma's own source (github.com/chroma-core/chroma,
 * snapshot 93652ec0, August 2026):
 *
 * - `<persist_directory>/chroma.sqlite3`: the system database. Its schema is what the numbered
 *   migrations build, in order: rust/sqlite/migrations/sysdb/00001-collections … 00010-collection-schema,
 *   metadb/00001-embedding-metadata … 00006-metadata-array-support, embeddings_queue/00001-embeddings
 *   and 00002-embeddings-queue-config (the same files as chromadb/migrations/ for the Python
 *   implementation, which stops at sysdb 00009 and metadb 00005), plus the `migrations` and
 *   `acquire_write` tables that rust/sqlite/src/db.rs creates first.
 * - one folder per vector segment, named by the segment's id
 *   (chromadb/segment/impl/vector/local_persistent_hnsw.py `_get_storage_folder`,
 *   rust/segment/src/local_hnsw.rs), holding hnswlib's four persisted files
 *   (rust/index/src/hnsw_provider.rs `FILES`: header.bin, data_level0.bin, length.bin,
 *   link_lists.bin) and `index_metadata.pickle` (local_persistent_hnsw.py `METADATA_FILE`).
 * - a vector segment's row in `max_seq_id` is written when its index is persisted
 *   (local_persistent_hnsw.py `_persist`); a segment without one has not written its files yet
 *   (rust/cli/src/commands/vacuum.rs queries vector segments the same way).
 *
 * The statements below give the schema those migrations end with, table by table.
 */

/** A vector segment persisted by hnswlib on local disk. */
export const HNSW_SEGMENT_TYPE = 'urn:chroma:segment/vector/hnsw-local-persisted';
/** The metadata segment kept in chroma.sqlite3 itself. */
export const SQLITE_SEGMENT_TYPE = 'urn:chroma:segment/metadata/sqlite';

/** The files a persisted vector segment folder holds. */
export const SEGMENT_FILES = [
  'header.bin',
  'data_level0.bin',
  'length.bin',
  'link_lists.bin',
  'index_metadata.pickle',
] as const;

/** Chroma's default tenant and database (sysdb/00004-tenants-databases). */
export const DEFAULT_TENANT = 'default_tenant';
export const DEFAULT_DATABASE_ID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_DATABASE_NAME = 'default_database';

/** The name of the system database in a persist directory. */
export const CHROMA_DB_FILE = 'chroma.sqlite3';

/** One step of the schema: the migration it stands for and its statements. */
export interface ChromaSchemaStep {
  readonly dir: 'sysdb' | 'metadb' | 'embeddings_queue';
  readonly version: number;
  readonly filename: string;
  readonly sql: string;
}

/** The bookkeeping tables rust/sqlite/src/db.rs creates before any migration. */
export const CHROMA_BOOKKEEPING_SQL = `
CREATE TABLE IF NOT EXISTS migrations (
  dir TEXT NOT NULL,
  version INTEGER NOT NULL,
  filename TEXT NOT NULL,
  sql TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (dir, version)
);
CREATE TABLE IF NOT EXISTS acquire_write (
  id INTEGER PRIMARY KEY,
  lock_status INTEGER NOT NULL
);
`;

/**
 * The schema, grouped by the migration that brings each part to its final form. Each step is
 * written as the table it leaves behind, so a demo database has the final schema directly.
 */
export const CHROMA_SCHEMA: ReadonlyArray<ChromaSchemaStep> = [
  {
    dir: 'sysdb',
    version: 4,
    filename: '00004-tenants-databases.sqlite.sql',
    sql: `
CREATE TABLE tenants (id TEXT PRIMARY KEY, UNIQUE (id));
CREATE TABLE databases (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  UNIQUE (tenant_id, name)
);`,
  },
  {
    dir: 'sysdb',
    version: 10,
    filename: '00010-collection-schema.sqlite.sql',
    sql: `
CREATE TABLE collections (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  dimension INTEGER,
  database_id TEXT NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
  config_json_str TEXT,
  schema_str TEXT,
  UNIQUE (name, database_id)
);`,
  },
  {
    dir: 'sysdb',
    version: 6,
    filename: '00006-collection-segment-metadata.sqlite.sql',
    sql: `
CREATE TABLE collection_metadata (
  collection_id TEXT REFERENCES collections(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  str_value TEXT,
  int_value INTEGER,
  float_value REAL,
  bool_value INTEGER,
  PRIMARY KEY (collection_id, key)
);
CREATE TABLE segment_metadata (
  segment_id TEXT REFERENCES segments(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  str_value TEXT,
  int_value INTEGER,
  float_value REAL,
  bool_value INTEGER,
  PRIMARY KEY (segment_id, key)
);`,
  },
  {
    dir: 'sysdb',
    version: 9,
    filename: '00009-segment-collection-not-null.sqlite.sql',
    sql: `
CREATE TABLE segments (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  scope TEXT NOT NULL,
  collection TEXT REFERENCES collection(id) NOT NULL
);`,
  },
  {
    dir: 'sysdb',
    version: 8,
    filename: '00008-maintenance-log.sqlite.sql',
    sql: `
CREATE TABLE maintenance_log (id INT PRIMARY KEY, timestamp INT NOT NULL, operation TEXT NOT NULL);`,
  },
  {
    dir: 'metadb',
    version: 2,
    filename: '00002-embedding-metadata.sqlite.sql',
    sql: `
CREATE TABLE embeddings (
  id INTEGER PRIMARY KEY,
  segment_id TEXT NOT NULL,
  embedding_id TEXT NOT NULL,
  seq_id BLOB NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (segment_id, embedding_id)
);
CREATE TABLE embedding_metadata (
  id INTEGER REFERENCES embeddings(id),
  key TEXT NOT NULL,
  string_value TEXT,
  int_value INTEGER,
  float_value REAL,
  bool_value INTEGER,
  PRIMARY KEY (id, key)
);`,
  },
  {
    dir: 'metadb',
    version: 3,
    filename: '00003-full-text-tokenize.sqlite.sql',
    sql: `
CREATE VIRTUAL TABLE embedding_fulltext_search USING fts5(string_value, tokenize='trigram');`,
  },
  {
    dir: 'metadb',
    version: 4,
    filename: '00004-metadata-indices.sqlite.sql',
    sql: `
CREATE INDEX embedding_metadata_int_value ON embedding_metadata (key, int_value) WHERE int_value IS NOT NULL;
CREATE INDEX embedding_metadata_float_value ON embedding_metadata (key, float_value) WHERE float_value IS NOT NULL;
CREATE INDEX embedding_metadata_string_value ON embedding_metadata (key, string_value) WHERE string_value IS NOT NULL;`,
  },
  {
    dir: 'metadb',
    version: 5,
    filename: '00005-max-seq-id-int.sqlite.sql',
    sql: `
CREATE TABLE max_seq_id (segment_id TEXT PRIMARY KEY, seq_id INTEGER);`,
  },
  {
    dir: 'metadb',
    version: 6,
    filename: '00006-metadata-array-support.sqlite.sql',
    sql: `
CREATE TABLE embedding_metadata_array (
  id INTEGER NOT NULL REFERENCES embeddings(id),
  key TEXT NOT NULL,
  string_value TEXT,
  int_value INTEGER,
  float_value REAL,
  bool_value INTEGER
);
CREATE INDEX embedding_metadata_array_id_key ON embedding_metadata_array (id, key);
CREATE INDEX embedding_metadata_array_key_string ON embedding_metadata_array (key, string_value) WHERE string_value IS NOT NULL;
CREATE INDEX embedding_metadata_array_key_int ON embedding_metadata_array (key, int_value) WHERE int_value IS NOT NULL;
CREATE INDEX embedding_metadata_array_key_float ON embedding_metadata_array (key, float_value) WHERE float_value IS NOT NULL;`,
  },
  {
    dir: 'embeddings_queue',
    version: 2,
    filename: '00002-embeddings-queue-config.sqlite.sql',
    sql: `
CREATE TABLE embeddings_queue (
  seq_id INTEGER PRIMARY KEY,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  operation INTEGER NOT NULL,
  topic TEXT NOT NULL,
  id TEXT NOT NULL,
  vector BLOB,
  encoding TEXT,
  metadata TEXT
);
CREATE TABLE embeddings_queue_config (id INTEGER PRIMARY KEY, config_json_str TEXT);`,
  },
];
