/**
 * A one-collection restore's database half: the collection's rows (collection, documents,
 * chunks, chat sessions and their messages) from the backup's assistant.db replace the live
 * ones, in one transaction, inside a copy of the live database in staging. The copy is then
 * swapped in like any other file, so a failure or a kill leaves the live database as it was.
 */
import { TendFailure } from '../../../../src-shared/errors';
import { openStagedDatabase } from '../../stores/sqlite/sqlite-open';
import { snapshotDatabase } from '../../stores/sqlite/sqlite-snapshot';

/** What the merge changed. */
export interface MergeResult {
  readonly documents: number;
  readonly chunks: number;
  readonly chatSessions: number;
}

/**
 * Copies the live database to `target` with the online backup API, then merges collection `id`
 * from `archiveDb` into it.
 */
export async function mergeCollection(
  liveDb: string | null,
  archiveDb: string,
  target: string,
  id: string,
): Promise<MergeResult> {
  if (!liveDb) {
    // No live database: the backup's, whole, is the only sensible result.
    await snapshotDatabase(archiveDb, target);
    return { documents: 0, chunks: 0, chatSessions: 0 };
  }
  // The live database is only read (stores/sqlite: read-only, its WAL and journal mode left
  // alone); the merge writes the copy in staging, which keeps the live one's journal mode.
  await snapshotDatabase(liveDb, target);
  const db = openStagedDatabase(target);
  try {
    db.pragma('foreign_keys = ON');
    db.prepare('ATTACH DATABASE ? AS src').run(archiveDb);
    const archived = db.prepare('SELECT dimension FROM src.collections WHERE id = ?').get(id) as
      { dimension: number } | undefined;
    if (!archived) {
      throw new TendFailure(
        'RESTORE_UNKNOWN_COLLECTION',
        `The backup's assistant.db has no collection ${id}.`,
      );
    }
    const here = db.prepare('SELECT dimension FROM main.collections WHERE id = ?').get(id) as
      { dimension: number } | undefined;
    if (here && here.dimension !== archived.dimension) {
      throw new TendFailure(
        'RESTORE_DIMENSION_MISMATCH',
        `Collection ${id} has ${here.dimension}-dimension embeddings here but ${archived.dimension} in the backup.`,
      );
    }
    const counts = db.transaction(() => {
      const srcSessions = `SELECT id FROM src.chat_sessions WHERE collection_id = @id`;
      // Out with the live collection (children first), and with any row the backup brings
      // back under the same id.
      db.prepare(
        `DELETE FROM main.chat_sessions WHERE collection_id = @id OR id IN (${srcSessions})`,
      ).run({ id });
      db.prepare('DELETE FROM main.chunks WHERE collection_id = @id').run({ id });
      db.prepare(
        `DELETE FROM main.documents WHERE collection_id = @id
           OR id IN (SELECT id FROM src.documents WHERE collection_id = @id)`,
      ).run({ id });
      db.prepare('DELETE FROM main.collections WHERE id = @id').run({ id });
      db.prepare('INSERT INTO main.collections SELECT * FROM src.collections WHERE id = @id').run({
        id,
      });
      const documents = db
        .prepare('INSERT INTO main.documents SELECT * FROM src.documents WHERE collection_id = @id')
        .run({ id }).changes;
      // Chunk ids are index labels: they are kept, and AUTOINCREMENT never hands them out again.
      const chunks = db
        .prepare(
          'INSERT INTO main.chunks SELECT * FROM src.chunks WHERE collection_id = @id ORDER BY id',
        )
        .run({ id }).changes;
      const chatSessions = db
        .prepare(
          'INSERT INTO main.chat_sessions SELECT * FROM src.chat_sessions WHERE collection_id = @id',
        )
        .run({ id }).changes;
      // Message ids are referenced by nothing; fresh ones cannot collide with newer messages.
      db.prepare(
        `INSERT INTO main.chat_messages (session_id, role, content, created_at)
         SELECT session_id, role, content, created_at FROM src.chat_messages
         WHERE session_id IN (${srcSessions}) ORDER BY id`,
      ).run({ id });
      return { documents, chunks, chatSessions };
    })();
    db.prepare('DETACH DATABASE src').run();
    const problems = db.pragma('foreign_key_check') as unknown[];
    if (problems.length > 0) {
      throw new TendFailure(
        'RESTORE_VALIDATION_FAILED',
        `Merging collection ${id} left ${problems.length} rows without their parent.`,
      );
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return counts;
  } catch (error) {
    if (error instanceof TendFailure) throw error;
    throw new TendFailure(
      'RESTORE_VALIDATION_FAILED',
      `Collection ${id} could not be merged into assistant.db: ${(error as Error).message}`,
    );
  } finally {
    db.close();
  }
}
