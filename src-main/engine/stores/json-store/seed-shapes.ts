/**
 * The record shapes of the seed systems' JSON stores, as their documents describe them:
 * seed 002 (entity-scoped RAG: `entities.json`, `chat_sessions.json`, keyed by id) and seed 001
 * (memory system: one JSON file per memory). Passed as a JSON store's `schema`, they catch a
 * file that parses but is not the app's.
 */
import { z } from 'zod';

/** One document of an entity (seed 002: "Document list (doc_id, filename, file_path)"). */
export const EntityDocumentSchema = z.object({
  doc_id: z.string(),
  filename: z.string(),
  file_path: z.string(),
});

/** One entity (seed 002: "Entity ID and name, description and metadata, document list, creation timestamp"). */
export const EntityRecordSchema = z.object({
  entity_id: z.string(),
  entity_name: z.string(),
  description: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  documents: z.array(EntityDocumentSchema),
  created_at: z.string(),
});
export type EntityRecord = z.infer<typeof EntityRecordSchema>;

/** `entities.json`: entities keyed by their id. */
export const EntitiesFileSchema = z.record(z.string(), EntityRecordSchema);

/** One chat message of a session. */
export const ChatMessageRecordSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  timestamp: z.string(),
});

/** One chat session (seed 002: "session and entity id, name and metadata, messages, created and last activity"). */
export const ChatSessionRecordSchema = z.object({
  session_id: z.string(),
  entity_id: z.string(),
  session_name: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  messages: z.array(ChatMessageRecordSchema),
  created_at: z.string(),
  last_activity: z.string(),
});
export type ChatSessionRecord = z.infer<typeof ChatSessionRecordSchema>;

/** `chat_sessions.json`: sessions keyed by their id. */
export const ChatSessionsFileSchema = z.record(z.string(), ChatSessionRecordSchema);

/** One memory file of seed 001's `data/memories/`. */
export const MemoryRecordSchema = z.object({
  id: z.string(),
  content: z.string(),
  tags: z.array(z.string()),
  importance: z.number().min(0).max(1),
  created_at: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type MemoryRecord = z.infer<typeof MemoryRecordSchema>;
