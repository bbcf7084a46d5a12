import { z } from 'zod';

/** The distance an index of a collection uses. */
export const EmbeddingSpaceSchema = z.enum(['cosine', 'l2', 'ip']);
export type EmbeddingSpace = z.infer<typeof EmbeddingSpaceSchema>;

/** A collection id: a folder name under vector_store/, so letters, digits, `-` and `_`. */
export const CollectionIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'A collection id is 1 to 64 letters, digits, - or _, starting with a letter or digit',
  );

const m = z.number().int().min(2).max(128);
const efConstruction = z.number().int().min(1).max(4096);
const ef = z.number().int().min(1).max(4096);

/** Index parameters of a collection (hnswlib's M, efConstruction and search ef). */
export const IndexParametersSchema = z.object({
  m: m.default(16),
  efConstruction: efConstruction.default(200),
  ef: ef.default(50),
});
export type IndexParameters = z.infer<typeof IndexParametersSchema>;

/**
 * Index parameters a person gave, none filled in: an import applies them to a new collection
 * (with the defaults for the rest) and refuses other values for an existing one.
 */
export const GivenIndexParametersSchema = z.object({
  m: m.optional(),
  efConstruction: efConstruction.optional(),
  ef: ef.optional(),
});

/** How one check of an index came out. */
export const HealthStatusSchema = z.enum(['ok', 'warning', 'bad']);
export type HealthStatus = z.infer<typeof HealthStatusSchema>;

/** The checks a health run makes, in the order it makes them. */
export const healthCheckNames = ['loads', 'agreement', 'deleted', 'recall', 'dimension'] as const;
export const HealthCheckNameSchema = z.enum(healthCheckNames);
export type HealthCheckName = z.infer<typeof HealthCheckNameSchema>;

/** One check with its verdict and the reason in words. */
export const HealthCheckSchema = z.object({
  name: HealthCheckNameSchema,
  status: HealthStatusSchema,
  reason: z.string(),
});
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

/** The health of one collection's index as one run measured it. */
export const IndexHealthSchema = z.object({
  collection: z.string(),
  checkedAt: z.string(),
  /** The worst of the checks. */
  status: HealthStatusSchema,
  checks: z.array(HealthCheckSchema).readonly(),
  /** Vectors in the index, deleted ones included; null when it does not load. */
  indexCount: z.number().nullable(),
  /** Vectors marked deleted in the index. */
  deletedCount: z.number().nullable(),
  /** Live chunks in assistant.db. */
  liveChunks: z.number(),
  /** Labels in the index whose chunk is not live (and not marked deleted). */
  orphans: z.number().nullable(),
  /** Live chunks missing from the index. */
  missing: z.number().nullable(),
  /** recall@10 against exact search on a sample of stored vectors; null when not measured. */
  recall: z.number().nullable(),
  recallSample: z.number(),
  /** Why a compaction was started by this run, or null. */
  compactionReason: z.string().nullable(),
  compactionJobId: z.string().nullable(),
});
export type IndexHealth = z.infer<typeof IndexHealthSchema>;

/** One finished compaction (a rebuild of an index from assistant.db). */
export const CompactionRecordSchema = z.object({
  collection: z.string(),
  reason: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  vectorsBefore: z.number().nullable(),
  vectorsAfter: z.number(),
  bytesBefore: z.number().nullable(),
  bytesAfter: z.number(),
  seconds: z.number(),
});
export type CompactionRecord = z.infer<typeof CompactionRecordSchema>;

/** A collection as the Indexes page shows it. */
export const CollectionSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  dimension: z.number(),
  space: EmbeddingSpaceSchema,
  m: z.number(),
  efConstruction: z.number(),
  ef: z.number(),
  createdAt: z.string(),
  documentCount: z.number(),
  /** Live chunks: what the index should hold. */
  chunkCount: z.number(),
  /** What the index file and its index.json say, or null when there is no readable index. */
  index: z
    .object({
      count: z.number(),
      deletedCount: z.number(),
      maxElements: z.number(),
      fileBytes: z.number(),
      builtAt: z.string(),
    })
    .nullable(),
  lastHealth: IndexHealthSchema.nullable(),
  lastCompaction: CompactionRecordSchema.nullable(),
});
export type CollectionSummary = z.infer<typeof CollectionSummarySchema>;

/** One neighbour found by a search. */
export const SearchHitSchema = z.object({
  chunkId: z.number(),
  documentId: z.string(),
  documentTitle: z.string(),
  text: z.string(),
  /** hnswlib's distance: 1 − cosine, 1 − dot product, or squared L2. */
  distance: z.number(),
  /** Cosine similarity or dot product (higher is closer); for l2, minus the distance. */
  score: z.number(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** What a search found, and where it looked. */
export const SearchResultSchema = z.object({
  collection: z.string(),
  hits: z.array(SearchHitSchema).readonly(),
  /** `index` normally; `exact` when the index could not be used and is being rebuilt. */
  source: z.enum(['index', 'exact']),
  ef: z.number(),
  tookMs: z.number(),
  /** The rebuild this search found running or started (an index that lags or does not load). */
  rebuildJobId: z.string().nullable().optional(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

/** A stored chunk offered for a test search. */
export const ChunkPreviewSchema = z.object({
  chunkId: z.number(),
  documentId: z.string(),
  documentTitle: z.string(),
  text: z.string(),
});
export type ChunkPreview = z.infer<typeof ChunkPreviewSchema>;

/** What an import added (or, on a dry run, would add): imports are idempotent by document id. */
export const ImportResultSchema = z.object({
  collection: z.string(),
  /** Whether the collection is new (on a dry run: would be). */
  createdCollection: z.boolean(),
  dryRun: z.boolean(),
  lines: z.number(),
  /** New documents and their chunks. */
  documentsAdded: z.number(),
  chunksAdded: z.number(),
  /** Documents already in the collection with the same chunks, left as they are. */
  documentsSkipped: z.number(),
  chunksSkipped: z.number(),
  /** Vectors in the index afterwards; null on a dry run. */
  indexCount: z.number().nullable(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

/** One database's part of an upkeep run. */
export const UpkeepDatabaseResultSchema = z.object({
  database: z.enum(['assistant', 'catalog']),
  path: z.string(),
  bytesBefore: z.number(),
  bytesAfter: z.number(),
  /** WAL frames written back by wal_checkpoint(TRUNCATE). */
  checkpointedFrames: z.number(),
  walBytesBefore: z.number(),
  freePagesBefore: z.number(),
  pageCount: z.number(),
  vacuumed: z.boolean(),
  /** `ok`, SQLite's first complaints, or null when the weekly check was not due. */
  integrity: z.string().nullable(),
});
export type UpkeepDatabaseResult = z.infer<typeof UpkeepDatabaseResultSchema>;

/** What a delete of documents did. */
export const DocumentDeleteResultSchema = z.object({
  documentsDeleted: z.number(),
  chunksDeleted: z.number(),
  /** Ids that were deleted before: nothing left to do for them. */
  alreadyDeleted: z.array(z.string()).readonly(),
  deletedShare: z.number(),
  /** Why a compaction follows, or null. */
  compactionReason: z.string().nullable(),
  compactionJobId: z.string().nullable(),
});
export type DocumentDeleteResult = z.infer<typeof DocumentDeleteResultSchema>;

/** One SQLite upkeep run. */
export const UpkeepRunSchema = z.object({
  ranAt: z.string(),
  jobId: z.string().nullable(),
  databases: z.array(UpkeepDatabaseResultSchema).readonly(),
  /** Bytes given back to the disk, WAL included. */
  reclaimedBytes: z.number(),
});
export type UpkeepRun = z.infer<typeof UpkeepRunSchema>;
