/**
 * AnythingLLM's scope: a workspace. Its file is its LanceDB table (`lancedb/<slug>.lance`,
 * server/utils/vectorDbProviders/lance/index.js: the namespace is the workspace's slug); its
 * records are rows of anythingllm.db, merged by workspace-merge.ts. Parsed documents are shared
 * between workspaces (a document can be embedded in several), so they stay as they are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { withReadOnlyDatabase } from '../../stores/sqlite/sqlite-open';
import type { ProfileScope, ScopeItem } from '../profile';
import { anythingLlmPaths as p } from './anythingllm-paths';
import { mergeWorkspace } from './workspace-merge';

const TABLE_SUFFIX = '.lance';

/** The workspaces of a root: those of anythingllm.db, and any LanceDB table left of another. */
async function listWorkspaces(root: string): Promise<ReadonlyArray<ScopeItem>> {
  const bySlug = new Map<string, ScopeItem>();
  try {
    const rows = withReadOnlyDatabase(path.join(root, p.db), (db) =>
      db.prepare('SELECT slug, name FROM workspaces ORDER BY slug').all(),
    ) as Array<{ slug: string; name: string }>;
    for (const row of rows) bySlug.set(row.slug, { id: row.slug, name: row.name });
  } catch {
    // A database that cannot be read lists no workspaces; the tables still do.
  }
  let tables: string[] = [];
  try {
    tables = fs
      .readdirSync(path.join(root, p.lancedb), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name.endsWith(TABLE_SUFFIX))
      .map((entry) => entry.name.slice(0, -TABLE_SUFFIX.length));
  } catch {
    // No lancedb/ yet: no workspace has embedded anything.
  }
  for (const slug of tables) if (!bySlug.has(slug)) bySlug.set(slug, { id: slug, name: slug });
  return [...bySlug.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The workspace a root-relative path belongs to: `lancedb/<slug>.lance/…`. */
export function workspaceOf(relative: string): string | null {
  if (!relative.startsWith(`${p.lancedb}/`)) return null;
  const folder = relative.slice(p.lancedb.length + 1).split('/')[0] ?? '';
  return folder.endsWith(TABLE_SUFFIX) && folder.length > TABLE_SUFFIX.length
    ? folder.slice(0, -TABLE_SUFFIX.length)
    : null;
}

/** A workspace: its LanceDB table and its rows in anythingllm.db. */
export const workspaceScope: ProfileScope = {
  id: 'workspace',
  singular: 'workspace',
  plural: 'workspaces',
  description:
    'A workspace: its LanceDB table of vectors and its rows in anythingllm.db (the workspace, its documents and their vectors, its threads and chats).',
  list: listWorkspaces,
  pathsOf: (slug) => [`${p.lancedb}/${slug}${TABLE_SUFFIX}`],
  idOf: workspaceOf,
  records: { database: p.db, merge: mergeWorkspace },
};
