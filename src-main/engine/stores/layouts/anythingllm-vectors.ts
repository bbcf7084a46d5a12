/**
 * What AnythingLLM's database says its LanceDB tables must hold: for each workspace (its slug
 * names its table), the vectors of its documents (server/prisma/schema.prisma: workspaces,
 * workspace_documents, document_vectors).
 */
import path from 'node:path';
import { withReadOnlyDatabase } from '../sqlite/sqlite-open';

/** Vectors per workspace slug, from `<storageDir>/anythingllm.db`. */
export function workspaceVectorCounts(storageDir: string): Record<string, number> {
  return withReadOnlyDatabase(path.join(storageDir, 'anythingllm.db'), (db) => {
    const rows = db
      .prepare(
        `SELECT w.slug AS slug, count(v.id) AS vectors
         FROM workspaces w
         LEFT JOIN workspace_documents d ON d.workspaceId = w.id
         LEFT JOIN document_vectors v ON v.docId = d.docId
         GROUP BY w.id ORDER BY w.slug`,
      )
      .all() as Array<{ slug: string; vectors: number }>;
    return Object.fromEntries(rows.map((row) => [row.slug, row.vectors]));
  });
}
