/**
 * The vectors domain of one open root: collections, import, search, delete, health, compaction
 * and SQLite upkeep. Kept in the session's service registry and closed with it.
 *
 * Each concern lives in its own module (collection-summaries, vector-import, vector-search,
 * document-delete, index-compaction, index-health-run, upkeep-run) over the state they share
 * (vector-root: the indexes in memory and the running compactions); this class is the one
 * door the handlers, the schedules and the restore reach them through.
 */
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  ChunkPreview,
  CollectionSummary,
  SearchResult,
} from '../../../src-shared/models/vectors';
import type { EventBus } from '../events';
import type { RootSession, SessionService } from '../root-session';
import { requireCollection, sampleChunks, withStore } from './collection-store';
import {
  createCollection,
  listCollectionSummaries,
  type NewCollection,
} from './collection-summaries';
import { startDeleteJob } from './document-delete';
import { startHealthJob } from './index-health-run';
import { databaseBytes } from './sqlite-upkeep';
import { startUpkeepJob } from './upkeep-run';
import { startImportJob, type ImportRequest } from './vector-import';
import { VectorRoot } from './vector-root';
import { searchCollection, type SearchRequest } from './vector-search';

/** The vectors service of one root. */
export class VectorService implements SessionService {
  private readonly root: VectorRoot;

  constructor(session: RootSession, events: EventBus) {
    this.root = new VectorRoot(session, events);
  }

  /** The session's one vectors service. */
  static of(session: RootSession, events: EventBus): VectorService {
    return session.service('vectors', () => new VectorService(session, events));
  }

  /** Every collection with its counts, index figures, last health and compaction. */
  listCollections(): CollectionSummary[] {
    return listCollectionSummaries(this.root);
  }

  /** Creates an empty collection (and assistant.db when the root has none yet). */
  createCollection(input: NewCollection): CollectionSummary {
    return createCollection(this.root, input);
  }

  /** A few live chunks to search from. */
  sampleChunks(collection: string, limit: number): ChunkPreview[] {
    return withStore(this.root.dbPath, (db) => {
      requireCollection(db, collection);
      return sampleChunks(db, collection, limit);
    });
  }

  /** Nearest live chunks to a vector or to a stored chunk. */
  search(input: SearchRequest): Promise<SearchResult> {
    return searchCollection(this.root, input);
  }

  /** Starts an import job. */
  startImport(request: ImportRequest): JobRecord {
    return startImportJob(this.root, request);
  }

  /** Starts a job that soft-deletes documents and marks their chunks deleted in the index. */
  startDelete(collection: string, documentIds: ReadonlyArray<string>): JobRecord {
    return startDeleteJob(this.root, collection, documentIds);
  }

  /** Starts a compaction, or returns the one already running for this collection. */
  startCompaction(collection: string, reason: string): JobRecord {
    return this.root.compactions.start(collection, reason);
  }

  /** Starts a health job for one collection or all of them. */
  startHealth(collection?: string): JobRecord {
    return startHealthJob(this.root, collection);
  }

  /** Starts an upkeep job over assistant.db and the catalog. */
  startUpkeep(): JobRecord {
    return startUpkeepJob(this.root);
  }

  /** Bytes of a database and its WAL (for tests and the page). */
  static databaseBytes(file: string): number {
    return databaseBytes(file);
  }

  /** Forgets the indexes in memory (the session closes, or a restore replaces the files). */
  close(): void {
    this.root.indexes.clear();
  }
}
