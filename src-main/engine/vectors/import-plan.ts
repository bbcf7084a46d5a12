/**
 * What an import will do with each document of its file, decided against assistant.db before
 * anything is written: imports are idempotent by document id, so importing a file twice, or
 * again after a crash between the commit and the index write, never doubles a chunk.
 */
import type Database from 'better-sqlite3';
import type { FileDocument, LineProblem } from './import-lines';
import { DocumentDigest } from './document-digest';

/** How many documents and chunks are new and how many are already there. */
export interface ImportPlan {
  readonly newDocuments: number;
  readonly newChunks: number;
  readonly skippedDocuments: number;
  readonly skippedChunks: number;
  /** Documents already in the collection with exactly these chunks: left as they are. */
  readonly skip: ReadonlySet<string>;
  /** Documents that cannot be imported, each at its first line. */
  readonly problems: ReadonlyArray<LineProblem>;
}

/** The fingerprint of a stored document's live chunks, in order. */
function storedDigest(db: Database.Database, document: string): string {
  const digest = new DocumentDigest();
  const rows = db
    .prepare(
      `SELECT text, embedding FROM chunks WHERE document_id = ? AND deleted_at IS NULL
       ORDER BY ordinal, id`,
    )
    .iterate(document) as IterableIterator<{ text: string; embedding: Buffer }>;
  for (const row of rows) digest.add(row.text, row.embedding);
  return digest.digest();
}

/**
 * Plans an import of `documents` into `collection` (null: a collection that does not exist
 * yet, where every document is new).
 *
 * A document id already in the collection with the same chunks (texts and embeddings) is
 * skipped; with other chunks, in another collection, or deleted, it is refused at its first
 * line, because changing or reviving a document is not what an import should do silently.
 */
export function planImport(
  db: Database.Database | null,
  collection: string | null,
  documents: ReadonlyMap<string, FileDocument>,
): ImportPlan {
  const find = db?.prepare('SELECT collection_id, deleted_at FROM documents WHERE id = ?');
  const skip = new Set<string>();
  const problems: LineProblem[] = [];
  let newDocuments = 0;
  let newChunks = 0;
  let skippedChunks = 0;
  for (const [id, document] of documents) {
    const found = find?.get(id) as { collection_id: string; deleted_at: string | null } | undefined;
    if (!found) {
      newDocuments++;
      newChunks += document.chunks;
      continue;
    }
    const line = document.firstLine;
    if (found.collection_id !== collection) {
      problems.push({
        line,
        message: `the document "${id}" belongs to the collection "${found.collection_id}"`,
      });
    } else if (found.deleted_at !== null) {
      problems.push({
        line,
        message: `the document "${id}" was deleted; import it under a new id`,
      });
    } else if (db && storedDigest(db, id) === document.digest) {
      skip.add(id);
      skippedChunks += document.chunks;
    } else {
      problems.push({
        line,
        message: `the document "${id}" is already in this collection with other chunks; delete it first (tend vectors delete) or import it under a new id`,
      });
    }
  }
  return {
    newDocuments,
    newChunks,
    skippedDocuments: skip.size,
    skippedChunks,
    skip,
    problems,
  };
}
