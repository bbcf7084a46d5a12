/**
 * The tables of webui.db the demo writes, as Open WebUI's SQLAlchemy models declare them
 * (github.com/open-webui/open-webui, backend/open_webui/models/…) and its Alembic migrations
 * (backend/open_webui/migrations/versions/) leave them. Only the tables a profile reads or a
 * person would look for; Open WebUI creates the rest itself at start.
 */
export const WEBUI_SCHEMA_SQL = `
-- migrations/env.py: Alembic's bookkeeping; the revision is the newest the tables below match.
CREATE TABLE alembic_version (
  version_num VARCHAR(32) NOT NULL,
  CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
-- models/users.py: class User, __tablename__ = "user"
CREATE TABLE user (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  name VARCHAR(255),
  email VARCHAR(255),
  role VARCHAR(255),
  profile_image_url TEXT,
  last_active_at BIGINT,
  updated_at BIGINT,
  created_at BIGINT,
  api_key VARCHAR(255) UNIQUE,
  settings JSON,
  info JSON,
  oauth_sub TEXT UNIQUE
);
-- models/chats.py: class Chat, __tablename__ = "chat" (the messages live in the chat JSON)
CREATE TABLE chat (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  user_id VARCHAR(255),
  title TEXT,
  chat JSON,
  created_at BIGINT,
  updated_at BIGINT,
  share_id TEXT UNIQUE,
  archived BOOLEAN,
  pinned BOOLEAN,
  meta JSON DEFAULT '{}' NOT NULL,
  folder_id TEXT
);
-- models/files.py: class File, __tablename__ = "file"; c29facfe716b_update_file_table_path.py adds path
CREATE TABLE file (
  id VARCHAR NOT NULL PRIMARY KEY,
  user_id VARCHAR,
  hash TEXT,
  filename TEXT,
  path TEXT,
  data JSON,
  meta JSON,
  access_control JSON,
  created_at BIGINT,
  updated_at BIGINT
);
-- models/knowledge.py: class Knowledge, __tablename__ = "knowledge" (data.file_ids lists its files)
CREATE TABLE knowledge (
  id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  data JSON,
  meta JSON,
  access_control JSON,
  created_at BIGINT NOT NULL,
  updated_at BIGINT
);
`;

/**
 * The Alembic revision the demo's tables stand for (migrations/versions/
 * c29facfe716b_update_file_table_path.py, the revision that gave `file` its `path`).
 */
export const WEBUI_DEMO_REVISION = 'c29facfe716b';

/**
 * The Chroma collection of an uploaded file (backend/open_webui/routers/retrieval.py
 * `process_file`: collection_name = f"file-{file.id}"); a knowledge base's is its id.
 */
export function fileCollectionName(fileId: string): string {
  return `file-${fileId}`;
}
