/**
 * Deleting documents: they and their chunks are marked deleted in assistant.db, their vectors
 * marked deleted in a copy of the index that is then swapped in, and a compaction started when
 * deleted vectors fill too much of the index.
 */
import fs from 'node:fs';
import { TendFailure } from '../../../src-shared/errors';
import { countOf } from '../../../src-shared/language/counts';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { DocumentDeleteResult } from '../../../src-shared/models/vectors';
import type { JobContext } from '../jobs/job-runner';
import { openStore, requireCollection } from './collection-store';
import { fsyncFile, indexPaths, temporaryIndexPath } from './index-file';
import { readIndexCopy } from './loaded-indexes';
import type { VectorRoot } from './vector-root';

/** Deleted share above which (of at least AUTO_COMPACT_MIN vectors) an index is compacted. */
export const AUTO_COMPACT_DELETED_SHARE = 0.2;
/** The fewest vectors an index must hold before deleted ones start a compaction. */
export const AUTO_COMPACT_MIN = 1_000;

/** Starts a job that soft-deletes documents and marks their chunks deleted in the index. */
export function startDeleteJob(
  root: VectorRoot,
  collection: string,
  documentIds: ReadonlyArray<string>,
): JobRecord {
  return root.session.jobs.start({
    kind: 'vectors-delete',
    title: `Delete ${countOf(documentIds.length, 'document')} from ${collection}`,
    writesRoot: true,
    run: async (context): Promise<DocumentDeleteResult> => {
      const result = await runDelete(root, collection, documentIds, context);
      const compaction = result.compactionReason
        ? root.compactions.start(collection, result.compactionReason)
        : null;
      return { ...result, compactionJobId: compaction?.id ?? null };
    },
  });
}

async function runDelete(
  root: VectorRoot,
  collectionId: string,
  documentIds: ReadonlyArray<string>,
  context: JobContext,
): Promise<Omit<DocumentDeleteResult, 'compactionJobId'>> {
  const db = openStore(root.dbPath);
  let temporary: string | null = null;
  try {
    const collection = requireCollection(db, collectionId);
    db.exec('BEGIN IMMEDIATE');
    try {
      const now = new Date().toISOString();
      const ids = JSON.stringify([...new Set(documentIds)]);
      const known = db
        .prepare(
          `SELECT id, deleted_at FROM documents WHERE collection_id = ?
             AND id IN (SELECT value FROM json_each(?))`,
        )
        .all(collection.id, ids) as Array<{ id: string; deleted_at: string | null }>;
      const found = new Set(known.map((row) => row.id));
      const unknown = [...new Set(documentIds)].filter((id) => !found.has(id));
      if (unknown.length > 0) {
        const named = unknown
          .slice(0, 10)
          .map((id) => `"${id}"`)
          .join(', ');
        const more = unknown.length > 10 ? ` and ${unknown.length - 10} more` : '';
        throw new TendFailure(
          'DOCUMENT_NOT_FOUND',
          `The collection "${collection.id}" has no document ${named}${more}; nothing was deleted. Check the ids (tend vectors search shows them).`,
          { unknown },
        );
      }
      const alreadyDeleted = known.filter((row) => row.deleted_at !== null).map((row) => row.id);
      const labels = db
        .prepare(
          `SELECT id FROM chunks WHERE collection_id = ? AND deleted_at IS NULL
             AND document_id IN (SELECT value FROM json_each(?))`,
        )
        .pluck()
        .all(collection.id, ids) as number[];
      const documents = db
        .prepare(
          `UPDATE documents SET deleted_at = ? WHERE collection_id = ? AND deleted_at IS NULL
             AND id IN (SELECT value FROM json_each(?))`,
        )
        .run(now, collection.id, ids).changes;
      db.prepare(
        `UPDATE chunks SET deleted_at = ? WHERE collection_id = ? AND deleted_at IS NULL
           AND document_id IN (SELECT value FROM json_each(?))`,
      ).run(now, collection.id, ids);
      context.progress({
        filesDone: 0,
        filesTotal: labels.length,
        unit: 'chunk',
        message: 'Marking chunks deleted',
      });
      const paths = indexPaths(root.vectorStore, collection.id);
      const loaded = await root.indexes.get(collection);
      if (!loaded || labels.length === 0) {
        // Without a usable index there is nothing to mark: the rebuild leaves them out.
        db.exec('COMMIT');
        return {
          documentsDeleted: documents,
          chunksDeleted: labels.length,
          alreadyDeleted,
          deletedShare: 0,
          compactionReason: null,
        };
      }
      // Mark a copy, so the index in memory stays as it was if anything below fails.
      const copy = await readIndexCopy(collection, paths.index);
      let marked = 0;
      for (const label of labels) {
        try {
          copy.markDelete(label);
          marked++;
        } catch {
          // Not in the index (it lagged the database): nothing to mark.
        }
      }
      temporary = temporaryIndexPath(paths.index);
      await copy.writeIndex(temporary);
      fsyncFile(temporary);
      db.exec('COMMIT');
      const deletedCount = loaded.meta.deletedCount + marked;
      const installed = await root.indexes.install(collection, temporary, deletedCount);
      temporary = null;
      context.progress({ filesDone: labels.length });
      const total = installed.index.getCurrentCount();
      const deletedShare = total === 0 ? 0 : deletedCount / total;
      return {
        documentsDeleted: documents,
        chunksDeleted: labels.length,
        alreadyDeleted,
        deletedShare,
        compactionReason:
          total >= AUTO_COMPACT_MIN && deletedShare > AUTO_COMPACT_DELETED_SHARE
            ? `${Math.round(deletedShare * 100)}% of the index is deleted vectors`
            : null,
      };
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    if (temporary) fs.rmSync(temporary, { force: true });
    db.close();
  }
}
