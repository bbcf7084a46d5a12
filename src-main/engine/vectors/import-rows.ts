/**
 * Writing the documents and chunks of a checked, planned import file into assistant.db, inside
 * the caller's transaction.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { TendFailure } from '../../../src-shared/errors';
import type { JobContext } from '../jobs/job-runner';
import { encodeEmbedding, type CollectionRecord } from '../store/assistant-db';
import { checkLine, readLines } from './import-lines';
import type { ImportPlan } from './import-plan';

/** The vectors an import added, by chunk id, for the index. */
export interface WrittenRows {
  readonly labels: Float64Array;
  readonly values: Float32Array;
  readonly documentsAdded: number;
}

function stringField(metadata: Record<string, unknown> | undefined, key: string): string | null {
  const value = metadata?.[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function numberField(metadata: Record<string, unknown> | undefined, key: string): number | null {
  const value = metadata?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Inserts the new documents of the plan with their chunks, in file order; documents the plan
 * skips are read past. Progress counts the second pass over the file (bytes `size`…`2·size`).
 */
export async function writeImportRows(
  db: Database.Database,
  collection: CollectionRecord,
  file: string,
  plan: ImportPlan,
  size: number,
  context: JobContext,
): Promise<WrittenRows> {
  const dimension = collection.dimension;
  const labels = new Float64Array(plan.newChunks);
  const values = new Float32Array(plan.newChunks * dimension);
  const now = new Date().toISOString();
  const exists = db.prepare('SELECT 1 FROM documents WHERE id = ?').pluck();
  const insertDocument = db.prepare(
    `INSERT INTO documents (id, collection_id, title, source_path, mime, bytes, sha256, created_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  const updateDocument = db.prepare(
    'UPDATE documents SET bytes = bytes + ?, sha256 = ? WHERE id = ?',
  );
  const insertChunk = db.prepare(
    `INSERT INTO chunks (document_id, collection_id, ordinal, text, embedding, token_count, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const documents = new Map<string, { next: number; hash: ReturnType<typeof createHash> }>();
  let row = 0;
  for await (const line of readLines(file, context.signal)) {
    if (line.text.trim() === '') continue;
    const checked = checkLine(line.text, line.number, dimension);
    // The file was checked a moment ago; a line that changed since is still refused.
    if ('problem' in checked) {
      throw new TendFailure(
        'IMPORT_INVALID',
        `Nothing was imported: line ${checked.problem.line}: ${checked.problem.message} (the file changed during the import)`,
      );
    }
    const { document, text, embedding, metadata } = checked.line;
    if (plan.skip.has(document)) continue;
    let state = documents.get(document);
    if (!state) {
      if (exists.get(document) !== undefined || row + 1 > plan.newChunks) {
        throw new TendFailure(
          'IMPORT_INVALID',
          `Nothing was imported: line ${line.number}: the file changed during the import; run it again.`,
        );
      }
      insertDocument.run(
        document,
        collection.id,
        stringField(metadata, 'title') ?? document,
        stringField(metadata, 'source') ?? document,
        stringField(metadata, 'mime') ?? 'text/plain',
        createHash('sha256').digest('hex'),
        now,
      );
      state = { next: 0, hash: createHash('sha256') };
      documents.set(document, state);
    }
    if (row === plan.newChunks) {
      throw new TendFailure(
        'IMPORT_INVALID',
        `Nothing was imported: line ${line.number}: the file changed during the import; run it again.`,
      );
    }
    const vector = Float32Array.from(embedding);
    const tokens = numberField(metadata, 'token_count') ?? text.split(/\s+/).filter(Boolean).length;
    const result = insertChunk.run(
      document,
      collection.id,
      state.next++,
      text,
      encodeEmbedding(vector),
      Math.max(0, Math.round(tokens)),
      now,
    );
    state.hash.update(text);
    updateDocument.run(Buffer.byteLength(text), state.hash.copy().digest('hex'), document);
    labels[row] = Number(result.lastInsertRowid);
    values.set(vector, row * dimension);
    row++;
    if (row % 256 === 0) context.progress({ bytesDone: size + line.bytesRead });
  }
  if (row !== plan.newChunks) {
    throw new TendFailure(
      'IMPORT_INVALID',
      'Nothing was imported: the file changed during the import; run it again.',
    );
  }
  context.progress({ bytesDone: size * 2 });
  return { labels, values, documentsAdded: documents.size };
}
