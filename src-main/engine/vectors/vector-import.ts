/**
 * Import: a JSONL file of documents and their chunks' embeddings, every line checked before
 * anything is written, the rows written in one transaction, and the index extended (or
 * rebuilt when it cannot be) before the collection is answered from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import { countOf } from '../../../src-shared/language/counts';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  EmbeddingSpace,
  ImportResult,
  IndexParameters,
} from '../../../src-shared/models/vectors';
import { IndexParametersSchema } from '../../../src-shared/models/vectors';
import type { JobContext } from '../jobs/job-runner';
import { faultPoint } from '../maintenance/fault-point';
import type { CollectionRecord } from '../store/assistant-db';
import { findCollection, insertCollection, openStore, requireCollection } from './collection-store';
import { checkIndexFileAsync } from './index-check';
import { indexPaths, readIndexMeta, temporaryIndexPath } from './index-file';
import { seedFor, shapeOf } from './index-shape';
import { writeInWorker } from './index-worker-client';
import { checkImportFile, MAX_LISTED_PROBLEMS, type LineProblem } from './import-lines';
import { planImport, type ImportPlan } from './import-plan';
import { writeImportRows } from './import-rows';
import type { VectorRoot } from './vector-root';

/** M, efConstruction and ef of a collection an import creates without being told. */
const defaultParameters = IndexParametersSchema.parse({});

/** What to import. */
export interface ImportRequest extends Partial<IndexParameters> {
  readonly collection: string;
  readonly file: string;
  /** With the parameters: for a new collection only (an existing one keeps its own). */
  readonly space?: EmbeddingSpace | undefined;
  /** Check and count only: how many documents and chunks are new, nothing written. */
  readonly dryRun: boolean;
}

/**
 * Refuses index parameters given for a collection that exists with others: they would be
 * silently ignored, and the person would believe the collection uses them.
 */
function refuseOtherParameters(existing: CollectionRecord, request: ImportRequest): void {
  const differ: string[] = [];
  if (request.space !== undefined && request.space !== existing.space) {
    differ.push(`space ${existing.space} (not ${request.space})`);
  }
  if (request.m !== undefined && request.m !== existing.m)
    differ.push(`M ${existing.m} (not ${request.m})`);
  if (request.efConstruction !== undefined && request.efConstruction !== existing.efConstruction) {
    differ.push(`efConstruction ${existing.efConstruction} (not ${request.efConstruction})`);
  }
  if (request.ef !== undefined && request.ef !== existing.efSearch) {
    differ.push(`ef ${existing.efSearch} (not ${request.ef})`);
  }
  if (differ.length > 0) {
    throw new TendFailure(
      'INVALID_INPUT',
      `The collection "${existing.id}" already exists with ${differ.join(', ')}; index parameters apply only to a new collection. Import without them, or into a new collection.`,
    );
  }
}

/** Refuses an import with problems, listing the first ones with their line numbers. */
function refuseProblems(problems: ReadonlyArray<LineProblem>, count: number): void {
  if (count === 0) return;
  const listed = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((p) => `line ${p.line}: ${p.message}`)
    .join('; ');
  const more = count > MAX_LISTED_PROBLEMS ? ` (and ${count - MAX_LISTED_PROBLEMS} more)` : '';
  throw new TendFailure(
    'IMPORT_INVALID',
    `Nothing was imported: ${countOf(count, 'line')} cannot be imported. ${listed}${more}`,
    { problems: problems.slice(0, MAX_LISTED_PROBLEMS), problemCount: count },
  );
}

/** Starts an import job. */
export function startImportJob(root: VectorRoot, request: ImportRequest): JobRecord {
  return root.session.jobs.start({
    kind: 'vectors-import',
    title: `Import ${path.basename(request.file)} into ${request.collection}`,
    writesRoot: true,
    run: (context) => runImport(root, request, context),
  });
}

async function runImport(
  root: VectorRoot,
  request: ImportRequest,
  context: JobContext,
): Promise<ImportResult> {
  let size: number;
  try {
    const stat = fs.statSync(request.file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    throw new TendFailure('INVALID_INPUT', `Cannot read the import file ${request.file}.`);
  }
  if (!request.dryRun) fs.mkdirSync(path.dirname(root.dbPath), { recursive: true });
  // A dry run changes nothing, not even by creating assistant.db.
  const db =
    request.dryRun && !fs.existsSync(root.dbPath)
      ? null
      : openStore(root.dbPath, request.dryRun ? { readonly: true } : { create: true });
  let temporary: string | null = null;
  try {
    const existing = db ? findCollection(db, request.collection) : null;
    if (existing) refuseOtherParameters(existing, request);
    context.progress({
      bytesDone: 0,
      bytesTotal: size * 2,
      currentPath: request.file,
      message: 'Checking every line',
    });
    const checked = await checkImportFile(
      request.file,
      existing?.dimension ?? null,
      context.signal,
      (bytes) => context.progress({ bytesDone: bytes }),
    );
    refuseProblems(checked.problems, checked.problemCount);
    if (checked.count === 0 || checked.dimension === null) {
      throw new TendFailure('IMPORT_INVALID', 'Nothing was imported: the file has no lines.');
    }
    const dimension = checked.dimension;
    const summary = (plan: ImportPlan, indexCount: number | null) => ({
      collection: request.collection,
      createdCollection: !existing,
      dryRun: request.dryRun,
      lines: checked.count,
      documentsAdded: plan.newDocuments,
      chunksAdded: plan.newChunks,
      documentsSkipped: plan.skippedDocuments,
      chunksSkipped: plan.skippedChunks,
      indexCount,
    });
    if (request.dryRun || !db) {
      const plan = db
        ? planImport(db, existing?.id ?? null, checked.documents)
        : planImport(null, null, checked.documents);
      refuseProblems(plan.problems, plan.problems.length);
      return summary(plan, null);
    }
    db.exec('BEGIN IMMEDIATE');
    try {
      // Planned inside the write lock, so the assistant cannot add a document in between.
      const plan = planImport(db, existing?.id ?? null, checked.documents);
      refuseProblems(plan.problems, plan.problems.length);
      if (!existing) {
        insertCollection(db, {
          id: request.collection,
          name: request.collection,
          dimension,
          space: request.space ?? 'cosine',
          m: request.m ?? defaultParameters.m,
          efConstruction: request.efConstruction ?? defaultParameters.efConstruction,
          ef: request.ef ?? defaultParameters.ef,
        });
      }
      const collection = requireCollection(db, request.collection);
      const written = await writeImportRows(db, collection, request.file, plan, size, context);
      // The arrays are handed to the worker (transferred), so count them first.
      const chunksAdded = written.labels.length;
      const paths = indexPaths(root.vectorStore, collection.id);
      fs.mkdirSync(paths.dir, { recursive: true });
      const base = await checkIndexFileAsync(paths.index, collection.dimension);
      const meta = readIndexMeta(paths.meta);
      // Read before the rows were written: what the current index should hold.
      const liveBefore = collection.chunkCount;
      const baseAgrees = base.ok && base.header.count - (meta?.deletedCount ?? 0) === liveBefore;
      if (chunksAdded === 0) {
        // Everything was imported before (a second run, or a retry after a crash between
        // the commit and the index write): only an index that lags needs work.
        db.exec('COMMIT');
        if (baseAgrees || (liveBefore === 0 && !base.ok)) {
          return summary(plan, base.ok ? base.header.count : 0);
        }
        const rebuilt = await root.compactions.rebuild(
          collection.id,
          'caught up during an import',
          context,
        );
        return summary(plan, rebuilt.vectorsAfter);
      }
      context.progress({ message: `Adding ${chunksAdded} vectors to the index` });
      temporary = temporaryIndexPath(paths.index);
      if (baseAgrees || liveBefore === 0) {
        await writeInWorker(
          {
            kind: 'extend',
            baseFile: base.ok && baseAgrees ? paths.index : null,
            outFile: temporary,
            seed: seedFor(collection.id),
            labels: written.labels,
            values: written.values,
            ...shapeOf(collection),
          },
          context.signal,
          (done, total) => context.progress({ filesDone: done, filesTotal: total, unit: 'vector' }),
        );
        db.exec('COMMIT');
        faultPoint('vectors:import-after-commit');
        const loaded = await root.indexes.install(
          collection,
          temporary,
          baseAgrees ? (meta?.deletedCount ?? 0) : 0,
        );
        temporary = null;
        return summary(plan, loaded.index.getCurrentCount());
      }
      // The old index cannot be extended (missing, broken or disagreeing): commit, then
      // rebuild the whole index from the database, which now holds everything.
      db.exec('COMMIT');
      const rebuilt = await root.compactions.rebuild(
        collection.id,
        'rebuilt during an import',
        context,
      );
      return summary(plan, rebuilt.vectorsAfter);
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    if (temporary) fs.rmSync(temporary, { force: true });
    db?.close();
  }
}
