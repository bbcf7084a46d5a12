/**
 * The tables of anythingllm.db the demo writes and the workspace scope reads, as Prisma
 * creates them from server/prisma/schema.prisma (github.com/Mintplex-Labs/anything-llm):
 * models workspaces, workspace_documents, document_vectors, workspace_chats and
 * workspace_threads, with Prisma's SQLite types (Int → INTEGER, String → TEXT, DateTime →
 * DATETIME, Float → REAL, Boolean → BOOLEAN) and its `_prisma_migrations` bookkeeping.
 */
export const ANYTHINGLLM_SCHEMA_SQL = `
CREATE TABLE "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
);
CREATE TABLE "workspaces" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "name" TEXT NOT NULL,
  "slug" TEXT NOT NULL,
  "vectorTag" TEXT,
  "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "openAiTemp" REAL,
  "openAiHistory" INTEGER NOT NULL DEFAULT 20,
  "lastUpdatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "openAiPrompt" TEXT,
  "similarityThreshold" REAL DEFAULT 0.25,
  "chatProvider" TEXT,
  "chatModel" TEXT,
  "topN" INTEGER DEFAULT 4,
  "chatMode" TEXT DEFAULT 'chat',
  "pfpFilename" TEXT,
  "agentProvider" TEXT,
  "agentModel" TEXT,
  "queryRefusalResponse" TEXT,
  "vectorSearchMode" TEXT DEFAULT 'default'
);
CREATE UNIQUE INDEX "workspaces_slug_key" ON "workspaces"("slug");
CREATE TABLE "workspace_documents" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "docId" TEXT NOT NULL,
  "filename" TEXT NOT NULL,
  "docpath" TEXT NOT NULL,
  "workspaceId" INTEGER NOT NULL,
  "metadata" TEXT,
  "pinned" BOOLEAN DEFAULT false,
  "watched" BOOLEAN DEFAULT false,
  "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "lastUpdatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "workspace_documents_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "workspace_documents_docId_key" ON "workspace_documents"("docId");
CREATE TABLE "document_vectors" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "docId" TEXT NOT NULL,
  "vectorId" TEXT NOT NULL,
  "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "lastUpdatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE "workspace_threads" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "name" TEXT NOT NULL,
  "slug" TEXT NOT NULL,
  "workspace_id" INTEGER NOT NULL,
  "user_id" INTEGER,
  "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "lastUpdatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "workspace_threads_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "workspace_threads_slug_key" ON "workspace_threads"("slug");
CREATE TABLE "workspace_chats" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "workspaceId" INTEGER NOT NULL,
  "prompt" TEXT NOT NULL,
  "response" TEXT NOT NULL,
  "include" BOOLEAN NOT NULL DEFAULT true,
  "user_id" INTEGER,
  "thread_id" INTEGER,
  "api_session_id" TEXT,
  "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "lastUpdatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "feedbackScore" BOOLEAN
);
`;
