/**
 * The vectors domain of one open root: collections, import, search, health, compaction and
 * SQLite upkeep. Kept in the session's service registry and closed with it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { TendFailure } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  ChunkPreview,
  CompactionRecord,
  CollectionSummary,
  DocumentDeleteResult,
  EmbeddingSpace,
  ImportResult,
  IndexHealth,
  IndexParameters,
  SearchHit,
  SearchResult,
  UpkeepRun,
} from '../../../src-shared/models/vectors';
import { IndexParametersSchema } from '../../../src-shared/models/vectors';
import type { EventBus } from '../events';
import type { JobContext } from '../jobs/job-runner';
import type { RootSession, SessionService } from '../root-session';
import {
  ASSISTANT_SCHEMA_VERSION,
  listCollections,
  type CollectionRecord,
} from '../store/assistant-db';
import {
  chunkEmbedding,
  chunkPreviews,
  findCollection,
  insertCollection,
  openStore,
  requireCollection,
  sampleChunks,
  withStore,
} from './collection-store';
import { exactSearch, type Neighbour } from './exact-search';
import { evaluateHealth, RECALL_SAMPLE } from './health-checks';
import { checkIndexFileAsync } from './index-check';
import {
  fsyncDir,
  fsyncFile,
  indexPaths,
  readIndexMeta,
  replaceFile,
  temporaryIndexPath,
  writeIndexMeta,
  type IndexMeta,
} from './index-file';
import {
  checkImportFile,
  embeddingValueProblem,
  MAX_LISTED_PROBLEMS,
  type LineProblem,
} from './import-lines';
import { planImport, type ImportPlan } from './import-plan';
import { writeImportRows } from './import-rows';
import { faultPoint } from '../maintenance/fault-point';
import { inspectInWorker, writeInWorker } from './index-worker-client';
import type { InspectReport } from './index-worker-protocol';
import { countLiveChunks, readLiveVectors } from './live-vectors';
import { databaseBytes, integrityDue, upkeepDatabase } from './sqlite-upkeep';
import {
  fileIdentity,
  isLoaded,
  loadIndexFile,
  type BrokenIndex,
  type Hnsw,
  type LoadedIndex,
} from './vector-indexes';
import {
  lastIntegrityCheck,
  latestCompaction,
  latestHealth,
  recordCompaction,
  recordHealth,
  recordUpkeep,
} from './vectors-records';
import { countOf } from '../../../src-shared/language/counts';

const { HierarchicalNSW } = hnswlib;

/** Deleted share above which (of at least AUTO_COMPACT_MIN vectors) an index is compacted. */
export const AUTO_COMPACT_DELETED_SHARE = 0.2;
export const AUTO_COMPACT_MIN = 1_000;

/** M, efConstruction and ef of a collection an import creates without being told. */
const defaultParameters = IndexParametersSchema.parse({});

/** Extra neighbours asked of the index so that dropped stale labels still leave k answers. */
const STALE_SLACK = 10;

/** A deterministic level seed per collection, so a rebuild of the same data is the same file. */
function seedFor(collection: string): number {
  return createHash('sha256').update(`tend/hnsw/${collection}`).digest().readUInt32LE(0) % 2 ** 31;
}

/** Why a search, health run or write found an index in its state, per collection. */
interface CollectionState {
  loaded: LoadedIndex | null;
  broken: BrokenIndex | null;
  loading: Promise<LoadedIndex | BrokenIndex> | null;
  /** The file identities an automatic rebuild was already started for. */
  healedIdentities: Set<string>;
}

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

/** The vectors service of one root. */
export class VectorService implements SessionService {
  private readonly states = new Map<string, CollectionState>();
  /** Running compaction jobs by collection, so a second request joins the first. */
  private readonly compactions = new Map<string, JobRecord>();

  constructor(
    private readonly session: RootSession,
    private readonly events: EventBus,
  ) {}

  /** The session's one vectors service. */
  static of(session: RootSession, events: EventBus): VectorService {
    return session.service('vectors', () => new VectorService(session, events));
  }

  /** The root's assistant store; PROFILE_UNSUPPORTED for a profile that has none. */
  private get store() {
    return this.session.assistant('Collections and their vector indexes');
  }

  private get dbPath(): string {
    return this.session.resolve(this.store.db);
  }

  /** The absolute `vector_store/` folder. */
  private get vectorStore(): string {
    return this.session.resolve(this.store.vectorStore);
  }

  private state(collection: string): CollectionState {
    let state = this.states.get(collection);
    if (!state) {
      state = { loaded: null, broken: null, loading: null, healedIdentities: new Set() };
      this.states.set(collection, state);
    }
    return state;
  }

  // ---- Collections -------------------------------------------------------------------------

  /** Every collection with its counts, index figures, last health and compaction. */
  listCollections(): CollectionSummary[] {
    // A folder of another profile has none of Tend's collections: an empty list, not an error.
    if (!this.session.assistantStore || !fs.existsSync(this.dbPath)) return [];
    const collections = withStore(this.dbPath, (db) => listCollections(db));
    return collections.map((collection) => this.summarize(collection));
  }

  private summarize(collection: CollectionRecord): CollectionSummary {
    const paths = indexPaths(this.vectorStore, collection.id);
    const meta = readIndexMeta(paths.meta);
    let fileBytes: number | null = null;
    try {
      fileBytes = fs.statSync(paths.index).size;
    } catch {
      fileBytes = null;
    }
    const catalog = this.session.catalog;
    return {
      id: collection.id,
      name: collection.name,
      dimension: collection.dimension,
      space: collection.space,
      m: collection.m,
      efConstruction: collection.efConstruction,
      ef: collection.efSearch,
      createdAt: collection.createdAt,
      documentCount: collection.documentCount,
      chunkCount: collection.chunkCount,
      index:
        meta && fileBytes !== null
          ? {
              count: meta.count,
              deletedCount: meta.deletedCount,
              maxElements: meta.maxElements,
              fileBytes,
              builtAt: meta.builtAt,
            }
          : null,
      lastHealth: latestHealth(catalog, collection.id),
      lastCompaction: latestCompaction(catalog, collection.id),
    };
  }

  /** Creates an empty collection (and assistant.db when the root has none yet). */
  createCollection(input: {
    collection: string;
    name?: string | undefined;
    dimension: number;
    space: EmbeddingSpace;
    m: number;
    efConstruction: number;
    ef: number;
  }): CollectionSummary {
    fs.mkdirSync(path.dirname(this.dbPath), { recursive: true });
    const db = openStore(this.dbPath, { create: true });
    try {
      insertCollection(db, {
        id: input.collection,
        name: input.name ?? input.collection,
        dimension: input.dimension,
        space: input.space,
        m: input.m,
        efConstruction: input.efConstruction,
        ef: input.ef,
      });
      this.events.emit('vectors:changed', { collection: input.collection });
      return this.summarize(requireCollection(db, input.collection));
    } finally {
      db.close();
    }
  }

  /** A few live chunks to search from. */
  sampleChunks(collection: string, limit: number): ChunkPreview[] {
    return withStore(this.dbPath, (db) => {
      requireCollection(db, collection);
      return sampleChunks(db, collection, limit);
    });
  }

  // ---- Loading and search ------------------------------------------------------------------

  /**
   * The collection's index in memory, loading it on first use or when the file was replaced.
   * A file that does not load, or that disagrees with the database, starts a rebuild once.
   */
  private async index(collection: CollectionRecord): Promise<LoadedIndex | null> {
    const state = this.state(collection.id);
    const file = indexPaths(this.vectorStore, collection.id).index;
    const identity = fileIdentity(file);
    if (state.loaded?.identity === identity) return state.loaded;
    // The same broken file as last time: do not read it again on every search.
    if (state.broken?.identity === identity) return state.loaded;
    if (!state.loading) {
      state.loading = loadIndexFile(this.vectorStore, collection, ASSISTANT_SCHEMA_VERSION);
      void state.loading.finally(() => (state.loading = null));
    }
    const result = await state.loading;
    if (isLoaded(result)) {
      state.loaded = result;
      state.broken = null;
      const live = withStore(this.dbPath, (db) => countLiveChunks(db, collection.id));
      const indexed = result.index.getCurrentCount() - result.meta.deletedCount;
      if (indexed !== live) {
        this.heal(collection.id, result.identity, 'the index and the database disagree');
      }
      return result;
    }
    // A broken file: keep answering from the last good index in memory, if there is one.
    state.broken = result;
    if (result.identity !== 'missing' || collection.chunkCount > 0) {
      this.heal(collection.id, result.identity, `the index is unreadable: ${result.reason}`);
    }
    return state.loaded;
  }

  /** Starts one rebuild for a file identity; a rebuild that failed is not retried in a loop. */
  private heal(collection: string, identity: string, reason: string): void {
    const state = this.state(collection);
    if (state.healedIdentities.has(identity)) return;
    state.healedIdentities.add(identity);
    this.startCompaction(collection, reason);
  }

  /** Nearest live chunks to a vector or to a stored chunk. */
  async search(input: {
    collection: string;
    vector?: number[] | undefined;
    chunkId?: number | undefined;
    k: number;
    ef?: number | undefined;
  }): Promise<SearchResult> {
    const started = performance.now();
    const { collection, query } = withStore(this.dbPath, (db) => {
      const found = requireCollection(db, input.collection);
      if (input.chunkId !== undefined) {
        return { collection: found, query: chunkEmbedding(db, found, input.chunkId) };
      }
      const vector = input.vector ?? [];
      if (vector.length !== found.dimension) {
        throw new TendFailure(
          'DIMENSION_MISMATCH',
          `The query has ${vector.length} values; the collection "${found.id}" has dimension ${found.dimension}.`,
        );
      }
      for (let at = 0; at < vector.length; at++) {
        const problem = embeddingValueProblem(vector[at]);
        if (problem) {
          throw new TendFailure(
            'INVALID_INPUT',
            `Value ${at} of the query vector ${problem}; only finite 32-bit numbers can be searched.`,
          );
        }
      }
      return { collection: found, query: Float32Array.from(vector) };
    });
    const ef = Math.max(input.ef ?? collection.efSearch, input.k);
    const loaded = await this.index(collection);
    let neighbours: Neighbour[];
    let source: SearchResult['source'];
    if (loaded) {
      const wanted = Math.min(input.k + STALE_SLACK, loaded.index.getCurrentCount());
      loaded.index.setEf(Math.max(ef, wanted));
      const found = wanted > 0 ? loaded.index.searchKnn(Array.from(query), wanted) : null;
      neighbours = (found?.neighbors ?? []).map((label, at) => ({
        label,
        distance: found!.distances[at]!,
      }));
      source = 'index';
    } else {
      // No usable index (it is being rebuilt): exact search over the stored vectors.
      const table = withStore(this.dbPath, (db) =>
        readLiveVectors(db, collection.id, collection.dimension, collection.space),
      );
      neighbours = exactSearch(table, query, input.k);
      source = 'exact';
    }
    const previews = withStore(this.dbPath, (db) =>
      chunkPreviews(
        db,
        collection.id,
        neighbours.map((n) => n.label),
      ),
    );
    const hits: SearchHit[] = [];
    for (const neighbour of neighbours) {
      // Labels without a live chunk (an index that lags the database) are left out.
      const preview = previews.get(neighbour.label);
      if (!preview || hits.length === input.k) continue;
      hits.push({
        ...preview,
        distance: neighbour.distance,
        score: collection.space === 'l2' ? -neighbour.distance : 1 - neighbour.distance,
      });
    }
    return {
      collection: collection.id,
      hits,
      source,
      ef,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
      rebuildJobId: this.runningCompaction(collection.id)?.id ?? null,
    };
  }

  // ---- Writing an index ---------------------------------------------------------------------

  /** Puts a finished temp index file in place, writes index.json, and swaps it in memory. */
  private async install(
    collection: CollectionRecord,
    temporary: string,
    deletedCount: number,
  ): Promise<LoadedIndex> {
    const paths = indexPaths(this.vectorStore, collection.id);
    const index = (await this.readTemporary(collection, temporary)) as Hnsw;
    replaceFile(temporary, paths.index);
    const meta: IndexMeta = {
      collection: collection.id,
      dimension: collection.dimension,
      space: collection.space,
      m: collection.m,
      efConstruction: collection.efConstruction,
      efSearch: collection.efSearch,
      count: index.getCurrentCount(),
      maxElements: index.getMaxElements(),
      builtAt: new Date().toISOString(),
      schemaVersion: ASSISTANT_SCHEMA_VERSION,
      deletedCount,
    };
    writeIndexMeta(paths.meta, meta);
    const loaded: LoadedIndex = { index, meta, identity: fileIdentity(paths.index) };
    const state = this.state(collection.id);
    state.loaded = loaded;
    state.broken = null;
    this.events.emit('vectors:changed', { collection: collection.id });
    return loaded;
  }

  /** Reads a freshly written temp index (checked first, like any file hnswlib is given). */
  private async readTemporary(collection: CollectionRecord, file: string): Promise<Hnsw> {
    const checked = await checkIndexFileAsync(file, collection.dimension);
    if (!checked.ok) {
      throw new TendFailure('INDEX_BUILD_FAILED', `The new index is not sound: ${checked.reason}`);
    }
    const index = new HierarchicalNSW(collection.space, collection.dimension);
    await index.readIndex(file);
    index.setEf(collection.efSearch);
    return index;
  }

  // ---- Import ------------------------------------------------------------------------------

  /** Starts an import job. */
  startImport(request: ImportRequest): JobRecord {
    return this.session.jobs.start({
      kind: 'vectors-import',
      title: `Import ${path.basename(request.file)} into ${request.collection}`,
      writesRoot: true,
      run: (context) => this.runImport(request, context),
    });
  }

  private async runImport(request: ImportRequest, context: JobContext): Promise<ImportResult> {
    let size: number;
    try {
      const stat = fs.statSync(request.file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      throw new TendFailure('INVALID_INPUT', `Cannot read the import file ${request.file}.`);
    }
    if (!request.dryRun) fs.mkdirSync(path.dirname(this.dbPath), { recursive: true });
    // A dry run changes nothing, not even by creating assistant.db.
    const db =
      request.dryRun && !fs.existsSync(this.dbPath)
        ? null
        : openStore(this.dbPath, request.dryRun ? { readonly: true } : { create: true });
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
        const paths = indexPaths(this.vectorStore, collection.id);
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
          const rebuilt = await this.rebuild(collection.id, 'caught up during an import', context);
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
            (done, total) => context.progress({ filesDone: done, filesTotal: total }),
          );
          db.exec('COMMIT');
          faultPoint('vectors:import-after-commit');
          const loaded = await this.install(
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
        const rebuilt = await this.rebuild(collection.id, 'rebuilt during an import', context);
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

  // ---- Delete ------------------------------------------------------------------------------

  /** Starts a job that soft-deletes documents and marks their chunks deleted in the index. */
  startDelete(collection: string, documentIds: ReadonlyArray<string>): JobRecord {
    return this.session.jobs.start({
      kind: 'vectors-delete',
      title: `Delete ${countOf(documentIds.length, 'document')} from ${collection}`,
      writesRoot: true,
      run: async (context): Promise<DocumentDeleteResult> => {
        const result = await this.runDelete(collection, documentIds, context);
        const compaction = result.compactionReason
          ? this.startCompaction(collection, result.compactionReason)
          : null;
        return { ...result, compactionJobId: compaction?.id ?? null };
      },
    });
  }

  private async runDelete(
    collectionId: string,
    documentIds: ReadonlyArray<string>,
    context: JobContext,
  ): Promise<Omit<DocumentDeleteResult, 'compactionJobId'>> {
    const db = openStore(this.dbPath);
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
          message: 'Marking chunks deleted',
        });
        const paths = indexPaths(this.vectorStore, collection.id);
        const loaded = await this.index(collection);
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
        const copy = await this.readTemporary(collection, paths.index);
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
        const installed = await this.install(collection, temporary, deletedCount);
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

  // ---- Compaction --------------------------------------------------------------------------

  /** The compaction queued or running for a collection, if any. */
  private runningCompaction(collection: string): JobRecord | null {
    const running = this.compactions.get(collection);
    if (!running) return null;
    const current = this.session.jobs.get(running.id);
    return current.state === 'queued' || current.state === 'running' ? current : null;
  }

  /** Starts a compaction, or returns the one already running for this collection. */
  startCompaction(collection: string, reason: string): JobRecord {
    const running = this.runningCompaction(collection);
    if (running) return running;
    const job = this.session.jobs.start({
      kind: 'vectors-compact',
      title: `Compact the index of ${collection}`,
      writesRoot: true,
      run: (context) => this.rebuild(collection, reason, context),
    });
    this.compactions.set(collection, job);
    // Forget it however it ends, also when it never ran (the data lock was refused).
    void this.session.jobs.wait(job.id).finally(() => {
      if (this.compactions.get(collection)?.id === job.id) this.compactions.delete(collection);
    });
    return job;
  }

  /**
   * Rebuilds an index from assistant.db in a worker into a temp file, then swaps it in.
   * Searches answer from the old index in memory until the swap. Runs inside a writing job.
   */
  private async rebuild(
    collectionId: string,
    reason: string,
    context: JobContext,
  ): Promise<CompactionRecord> {
    const collection = withStore(this.dbPath, (db) => requireCollection(db, collectionId));
    const paths = indexPaths(this.vectorStore, collection.id);
    fs.mkdirSync(paths.dir, { recursive: true });
    const startedAt = new Date();
    const meta = readIndexMeta(paths.meta);
    let bytesBefore: number | null = null;
    try {
      bytesBefore = fs.statSync(paths.index).size;
    } catch {
      bytesBefore = null;
    }
    const temporary = temporaryIndexPath(paths.index);
    context.progress({
      currentPath: path.relative(this.session.path, paths.index),
      filesDone: 0,
      filesTotal: collection.chunkCount,
      message: 'Building the new index',
    });
    try {
      const written = await writeInWorker(
        {
          kind: 'build',
          dbPath: this.dbPath,
          outFile: temporary,
          seed: seedFor(collection.id),
          ...shapeOf(collection),
        },
        context.signal,
        (done, total) => context.progress({ filesDone: done, filesTotal: total }),
      );
      context.throwIfCancelled();
      context.progress({ message: 'Swapping the new index in' });
      await this.install(collection, temporary, 0);
      const finishedAt = new Date();
      const record = {
        collection: collection.id,
        reason,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        vectorsBefore: meta?.count ?? null,
        vectorsAfter: written.count,
        bytesBefore,
        bytesAfter: written.bytes,
        seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      };
      recordCompaction(this.session.catalog, record, context.jobId);
      return record;
    } finally {
      fs.rmSync(temporary, { force: true });
      fsyncDir(paths.dir);
    }
  }

  // ---- Health ------------------------------------------------------------------------------

  /** Starts a health job for one collection or all of them. */
  startHealth(collection?: string): JobRecord {
    return this.session.jobs.start({
      kind: 'vectors-health',
      title: collection ? `Check the index of ${collection}` : 'Check every index',
      writesRoot: false,
      run: (context) => this.runHealth(collection, context),
    });
  }

  private async runHealth(
    only: string | undefined,
    context: JobContext,
  ): Promise<{ collections: IndexHealth[] }> {
    const collections = withStore(this.dbPath, (db) =>
      only ? [requireCollection(db, only)] : [...listCollections(db)],
    );
    const results: IndexHealth[] = [];
    for (const [at, collection] of collections.entries()) {
      context.throwIfCancelled();
      const paths = indexPaths(this.vectorStore, collection.id);
      context.progress({
        currentPath: path.relative(this.session.path, paths.index),
        filesDone: at,
        filesTotal: collections.length,
        message: `Measuring recall of ${collection.id}`,
      });
      let report: InspectReport | null;
      try {
        report =
          collection.chunkCount === 0 && !fs.existsSync(paths.index)
            ? null
            : await inspectInWorker(
                {
                  kind: 'inspect',
                  dbPath: this.dbPath,
                  indexFile: paths.index,
                  sample: RECALL_SAMPLE,
                  k: 10,
                  ...shapeOf(collection),
                },
                context.signal,
              );
      } catch (error) {
        if (context.signal.aborted) throw error;
        // One collection that cannot be inspected does not stop the check of the others.
        report = {
          loads: false,
          reason: (error as Error).message,
          liveChunks: collection.chunkCount,
          indexDimension: null,
        };
      }
      const health = evaluateHealth(collection, report, readIndexMeta(paths.meta), new Date());
      let compactionJobId: string | null = null;
      if (health.compactionReason) {
        compactionJobId = this.startCompaction(collection.id, health.compactionReason).id;
      }
      const recorded: IndexHealth = { ...health, compactionJobId };
      recordHealth(this.session.catalog, recorded, context.jobId);
      this.events.emit('vectors:changed', { collection: collection.id });
      results.push(recorded);
    }
    context.progress({ filesDone: collections.length, filesTotal: collections.length });
    return { collections: results };
  }

  // ---- SQLite upkeep -----------------------------------------------------------------------

  /** Starts an upkeep job over assistant.db and the catalog. */
  startUpkeep(): JobRecord {
    return this.session.jobs.start({
      kind: 'sqlite-upkeep',
      title: 'SQLite upkeep of the assistant database and the catalog',
      writesRoot: true,
      run: async (context) => this.runUpkeep(context),
    });
  }

  private async runUpkeep(context: JobContext): Promise<UpkeepRun> {
    const now = new Date();
    const catalog = this.session.catalog;
    const catalogPath = this.session.state.catalog;
    const targets = [
      ...(this.session.assistantStore && fs.existsSync(this.dbPath)
        ? [{ database: 'assistant' as const, path: this.dbPath }]
        : []),
      { database: 'catalog' as const, path: catalogPath },
    ];
    const databases = [];
    for (const [at, target] of targets.entries()) {
      context.throwIfCancelled();
      context.progress({
        filesDone: at,
        filesTotal: targets.length,
        // The catalog is Tend's own, in its state folder: named by its full path.
        currentPath:
          target.database === 'catalog'
            ? target.path
            : path.relative(this.session.path, target.path),
      });
      const checkIntegrity = integrityDue(lastIntegrityCheck(catalog, target.database), now);
      if (target.database === 'catalog') {
        databases.push({ ...target, ...upkeepDatabase(catalog, target.path, { checkIntegrity }) });
      } else {
        const db = openStore(target.path);
        try {
          databases.push({ ...target, ...upkeepDatabase(db, target.path, { checkIntegrity }) });
        } finally {
          db.close();
        }
      }
    }
    context.progress({ filesDone: targets.length });
    const run: UpkeepRun = {
      ranAt: now.toISOString(),
      jobId: context.jobId,
      databases,
      reclaimedBytes: databases.reduce(
        (sum, db) => sum + Math.max(0, db.bytesBefore - db.bytesAfter),
        0,
      ),
    };
    recordUpkeep(catalog, run);
    return run;
  }

  /** Bytes of a database and its WAL (for tests and the page). */
  static databaseBytes(file: string): number {
    return databaseBytes(file);
  }

  close(): void {
    this.states.clear();
  }
}

function shapeOf(collection: CollectionRecord) {
  return {
    collection: collection.id,
    dimension: collection.dimension,
    space: collection.space,
    m: collection.m,
    efConstruction: collection.efConstruction,
    ef: collection.efSearch,
  };
}
