/**
 * Version 1 of the assistant store's schema (DESIGN §3).
 *
 * Tables are STRICT so a wrong type is refused at the door instead of being stored as text.
 * Timestamps are ISO 8601 UTC strings (`2026-10-31T08:12:33.123Z`), which sort as text.
 */
export const ASSISTANT_SCHEMA_V1 = `
CREATE TABLE collections (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  dimension INTEGER NOT NULL CHECK (dimension > 0),
  space TEXT NOT NULL CHECK (space IN ('cosine', 'l2', 'ip')),
  m INTEGER NOT NULL DEFAULT 16 CHECK (m > 1),
  ef_construction INTEGER NOT NULL DEFAULT 200 CHECK (ef_construction > 0),
  ef_search INTEGER NOT NULL DEFAULT 50 CHECK (ef_search > 0),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  collection_id TEXT NOT NULL REFERENCES collections (id),
  title TEXT NOT NULL,
  -- Relative to documents/<collection>/, never absolute: the root can move.
  source_path TEXT NOT NULL,
  mime TEXT NOT NULL,
  bytes INTEGER NOT NULL CHECK (bytes >= 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  created_at TEXT NOT NULL,
  deleted_at TEXT,
  -- Lets chunks prove that their collection is their document's collection.
  UNIQUE (id, collection_id)
) STRICT;
CREATE INDEX documents_collection ON documents (collection_id, deleted_at);

-- AUTOINCREMENT because a chunk id is its HNSW label: a deleted id must never come back and
-- alias a stale vector that an index has not dropped yet.
CREATE TABLE chunks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL,
  collection_id TEXT NOT NULL REFERENCES collections (id),
  ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
  text TEXT NOT NULL,
  -- float32 little-endian, dimension * 4 bytes (checked by the triggers below).
  embedding BLOB NOT NULL,
  token_count INTEGER NOT NULL CHECK (token_count >= 0),
  created_at TEXT NOT NULL,
  deleted_at TEXT,
  UNIQUE (document_id, ordinal),
  FOREIGN KEY (document_id, collection_id) REFERENCES documents (id, collection_id)
) STRICT;
CREATE INDEX chunks_collection ON chunks (collection_id, deleted_at);

-- A CHECK cannot look at another table, so the dimension rule lives in triggers. An unknown
-- collection makes the comparison NULL, which leaves that error to the foreign key.
CREATE TRIGGER chunks_embedding_insert BEFORE INSERT ON chunks
WHEN length(NEW.embedding) <> (SELECT dimension * 4 FROM collections WHERE id = NEW.collection_id)
BEGIN
  SELECT RAISE(ABORT, 'chunk embedding length does not match its collection dimension');
END;
CREATE TRIGGER chunks_embedding_update BEFORE UPDATE OF embedding, collection_id ON chunks
WHEN length(NEW.embedding) <> (SELECT dimension * 4 FROM collections WHERE id = NEW.collection_id)
BEGIN
  SELECT RAISE(ABORT, 'chunk embedding length does not match its collection dimension');
END;

CREATE TABLE memories (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX memories_kind ON memories (kind);

CREATE TABLE chat_sessions (
  id TEXT PRIMARY KEY,
  collection_id TEXT REFERENCES collections (id) ON DELETE SET NULL,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX chat_sessions_collection ON chat_sessions (collection_id);
CREATE INDEX chat_sessions_updated ON chat_sessions (updated_at);

CREATE TABLE chat_messages (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
  content TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX chat_messages_session ON chat_messages (session_id, created_at);

-- Analytics (seed 004). session_id is an analytics session, not a chat session: no foreign key.
CREATE TABLE interactions (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  user_role TEXT NOT NULL,
  query TEXT NOT NULL,
  query_type TEXT NOT NULL,
  response_time_ms REAL NOT NULL CHECK (response_time_ms >= 0),
  response_length INTEGER NOT NULL CHECK (response_length >= 0),
  success INTEGER NOT NULL CHECK (success IN (0, 1)),
  user_rating INTEGER CHECK (user_rating BETWEEN 1 AND 5),
  ip TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX interactions_timestamp ON interactions (timestamp);
CREATE INDEX interactions_session ON interactions (session_id);
`;

/** The assistant store's tables, in an order that satisfies their foreign keys. */
export const ASSISTANT_TABLES = [
  'collections',
  'documents',
  'chunks',
  'memories',
  'chat_sessions',
  'chat_messages',
  'interactions',
] as const;

/** One of the assistant store's tables. */
export type AssistantTable = (typeof ASSISTANT_TABLES)[number];
