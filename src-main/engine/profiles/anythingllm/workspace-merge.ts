/**
 * A one-workspace restore's database half: the workspace's rows of the backup's
 * anythingllm.db (the workspace, its documents and their vectors, its threads and chats, and
 * any other table that names a workspace) replace the live ones, in one transaction, inside a
 * copy of the live database in staging, which is then swapped in like any other file.
 *
 * Tables are found by their columns, not by a fixed list, so rows of tables this Tend does not
 * know (workspace_users, embed configs…) go with their workspace too. Foreign keys stay off
 * while rows move, as Prisma's cascades would delete more than the workspace; the copy's
 * `foreign_key_check` must pass afterwards.
 */
import type Database from 'better-sqlite3';
import { TendFailure } from '../../../../src-shared/errors';
import { openStagedDatabase } from '../../stores/sqlite/sqlite-open';
import { snapshotDatabase } from '../../stores/sqlite/sqlite-snapshot';
import type { ScopeMergeResult } from '../profile';

/** The columns by which a table names its workspace (schema.prisma uses both spellings). */
const WORKSPACE_COLUMNS = ['workspaceId', 'workspace_id'] as const;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function columnsOf(db: Database.Database, schema: 'main' | 'src', table: string): string[] {
  return (
    db.prepare('SELECT name FROM pragma_table_info(?, ?)').all(table, schema) as Array<{
      name: string;
    }>
  ).map((row) => row.name);
}

function tablesOf(db: Database.Database, schema: 'main' | 'src'): string[] {
  return (
    db
      .prepare(
        `SELECT name FROM ${schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .all() as Array<{ name: string }>
  ).map((row) => row.name);
}

/** Writes into `target` the live database with workspace `slug`'s rows taken from `archived`. */
export async function mergeWorkspace(input: {
  readonly live: string | null;
  readonly archived: string;
  readonly target: string;
  readonly id: string;
}): Promise<ScopeMergeResult> {
  const { live, archived, target, id: slug } = input;
  if (!live) {
    // No live database: the backup's, whole, is the only sensible result.
    await snapshotDatabase(archived, target);
    return { rows: {} };
  }
  // The live database is only read (stores/sqlite: read-only, its WAL and journal mode left
  // alone); the merge writes the copy in staging, which keeps the live one's journal mode.
  await snapshotDatabase(live, target);
  const db = openStagedDatabase(target);
  try {
    db.pragma('foreign_keys = OFF');
    db.prepare('ATTACH DATABASE ? AS src').run(archived);
    const wanted = db.prepare('SELECT id FROM src.workspaces WHERE slug = ?').get(slug) as
      { id: number } | undefined;
    if (!wanted) {
      throw new TendFailure(
        'RESTORE_UNKNOWN_SCOPE',
        `The backup's anythingllm.db has no workspace ${slug}.`,
      );
    }
    const here = db.prepare('SELECT id FROM main.workspaces WHERE slug = ?').get(slug) as
      { id: number } | undefined;
    const taken = db
      .prepare('SELECT slug FROM main.workspaces WHERE id = ? AND slug <> ?')
      .get(wanted.id, slug) as { slug: string } | undefined;
    if (taken) {
      throw new TendFailure(
        'RESTORE_VALIDATION_FAILED',
        `Workspace ${slug} had id ${wanted.id} in the backup, which workspace ${taken.slug} has now. Restore everything, or the database with it, instead of this one workspace.`,
      );
    }
    const liveId = here?.id ?? null;
    const rows: Record<string, number> = {};
    db.transaction(() => {
      const srcTables = new Set(tablesOf(db, 'src'));
      // Vectors belong to documents, not to workspaces: by the docIds of either side.
      const docs = `SELECT docId FROM main.workspace_documents WHERE workspaceId = @live
                    UNION SELECT docId FROM src.workspace_documents WHERE workspaceId = @wanted`;
      db.prepare(`DELETE FROM main.document_vectors WHERE docId IN (${docs})`).run({
        live: liveId,
        wanted: wanted.id,
      });
      for (const table of tablesOf(db, 'main')) {
        if (table === 'workspaces' || !srcTables.has(table)) continue;
        const mainColumns = columnsOf(db, 'main', table);
        const column = WORKSPACE_COLUMNS.find((name) => mainColumns.includes(name));
        if (!column) continue;
        db.prepare(`DELETE FROM main.${quote(table)} WHERE ${quote(column)} = ?`).run(liveId);
        if (table === 'workspace_documents') {
          // A document's docId is unique: one the backup brings back leaves any other workspace.
          db.prepare(
            'DELETE FROM main.workspace_documents WHERE docId IN (SELECT docId FROM src.workspace_documents WHERE workspaceId = ?)',
          ).run(wanted.id);
        }
      }
      const shared = (table: string) => {
        const inSrc = new Set(columnsOf(db, 'src', table));
        return columnsOf(db, 'main', table).filter((name) => inSrc.has(name));
      };
      const workspaceColumns = shared('workspaces').map(quote).join(', ');
      db.prepare('DELETE FROM main.workspaces WHERE id = ?').run(liveId);
      rows.workspaces = db
        .prepare(
          `INSERT INTO main.workspaces (${workspaceColumns}) SELECT ${workspaceColumns} FROM src.workspaces WHERE id = ?`,
        )
        .run(wanted.id).changes;
      for (const table of tablesOf(db, 'main')) {
        if (table === 'workspaces' || !srcTables.has(table)) continue;
        const columns = shared(table);
        const column = WORKSPACE_COLUMNS.find((name) => columns.includes(name));
        if (!column) continue;
        // Thread ids are what chats point at: kept. Other ids nothing points at: fresh ones.
        const keepIds = table === 'workspace_threads';
        const list = columns
          .filter((name) => keepIds || name !== 'id')
          .map(quote)
          .join(', ');
        rows[table] = db
          .prepare(
            `INSERT INTO main.${quote(table)} (${list}) SELECT ${list} FROM src.${quote(table)} WHERE ${quote(column)} = ? ORDER BY rowid`,
          )
          .run(wanted.id).changes;
      }
      const vectorColumns = shared('document_vectors')
        .filter((name) => name !== 'id')
        .map(quote)
        .join(', ');
      rows.document_vectors = db
        .prepare(
          `INSERT INTO main.document_vectors (${vectorColumns}) SELECT ${vectorColumns} FROM src.document_vectors
           WHERE docId IN (SELECT docId FROM src.workspace_documents WHERE workspaceId = ?) ORDER BY id`,
        )
        .run(wanted.id).changes;
    })();
    db.prepare('DETACH DATABASE src').run();
    const problems = db.pragma('foreign_key_check') as unknown[];
    if (problems.length > 0) {
      throw new TendFailure(
        'RESTORE_VALIDATION_FAILED',
        `Merging workspace ${slug} left ${problems.length} rows without their parent in anythingllm.db.`,
      );
    }
    return { rows };
  } catch (error) {
    if (error instanceof TendFailure) throw error;
    throw new TendFailure(
      'RESTORE_VALIDATION_FAILED',
      `Workspace ${slug} could not be merged into anythingllm.db: ${(error as Error).message}`,
    );
  } finally {
    db.close();
  }
}
