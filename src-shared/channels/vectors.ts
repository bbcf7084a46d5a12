/**
 * The vectors domain's channels: collections, import, search, index health, compaction and
 * the SQLite upkeep of assistant.db and the catalog.
 */
import { z } from 'zod';
import { JobRecordSchema } from '../models/jobs';
import {
  ChunkPreviewSchema,
  CollectionIdSchema,
  CollectionSummarySchema,
  EmbeddingSpaceSchema,
  GivenIndexParametersSchema,
  IndexParametersSchema,
  SearchResultSchema,
  UpkeepRunSchema,
} from '../models/vectors';
import { pathField } from '../models/paths';
import { empty } from './common';

/** The largest finite float32; a larger query value would become Infinity in the index. */
const FLOAT32_MAX = 3.4028234663852886e38;

const collectionInput = z.object({ collection: CollectionIdSchema }).strict();

/** Invoke channels of the vectors domain. */
export const vectorChannels = {
  /** Every collection with its counts, index figures, last health and last compaction. */
  'vectors:collections': {
    input: empty,
    output: z.object({ collections: z.array(CollectionSummarySchema).readonly() }),
  },
  /** Creates an empty collection with its dimension, space and index parameters. */
  'vectors:create-collection': {
    input: z
      .object({
        collection: CollectionIdSchema,
        name: z.string().min(1).max(200).optional(),
        dimension: z.number().int().min(1).max(16384),
        space: EmbeddingSpaceSchema.default('cosine'),
      })
      .extend(IndexParametersSchema.shape)
      .strict(),
    output: CollectionSummarySchema,
  },
  /**
   * Imports a JSONL file of `{document, text, embedding, metadata}` lines into assistant.db and
   * the collection's index (a job). A missing collection is created with the first line's
   * dimension and the given space and parameters.
   */
  'vectors:import': {
    input: z
      .object({
        collection: CollectionIdSchema,
        file: pathField('read-file'),
        // The space and parameters apply to a new collection; given for an existing one with
        // other values, the import is refused rather than silently ignoring them.
        space: EmbeddingSpaceSchema.optional(),
        /** Only check and count what is new; write nothing. */
        dryRun: z.boolean().default(false),
      })
      .extend(GivenIndexParametersSchema.shape)
      .strict(),
    output: JobRecordSchema,
  },
  /** Soft-deletes documents and their chunks; the chunks are marked deleted in the index (a job). */
  'vectors:delete-documents': {
    input: z
      .object({
        collection: CollectionIdSchema,
        documentIds: z.array(z.string().min(1)).min(1).max(100_000),
      })
      .strict(),
    output: JobRecordSchema,
  },
  /** Nearest chunks to a vector, or to a stored chunk's own embedding. */
  'vectors:search': {
    input: z
      .object({
        collection: CollectionIdSchema,
        vector: z
          .array(
            z.number().refine((value) => Math.abs(value) <= FLOAT32_MAX, {
              message: 'is too large for a 32-bit float (over ±3.4e38)',
            }),
          )
          .min(1)
          .max(16384)
          .optional(),
        chunkId: z.number().int().min(1).optional(),
        k: z.number().int().min(1).max(1000).default(10),
        ef: z.number().int().min(1).max(4096).optional(),
      })
      .strict()
      .refine((input) => (input.vector === undefined) !== (input.chunkId === undefined), {
        message: 'Give either a vector or a chunkId to search from',
      }),
    output: SearchResultSchema,
  },
  /** A few stored chunks of a collection to start a test search from. */
  'vectors:sample-chunks': {
    input: z
      .object({
        collection: CollectionIdSchema,
        limit: z.number().int().min(1).max(100).default(20),
      })
      .strict(),
    output: z.object({ chunks: z.array(ChunkPreviewSchema).readonly() }),
  },
  /**
   * Checks one collection's index, or all of them (a job): loads, agrees with the database,
   * deleted share, measured recall@10, dimension. Starts a compaction when one is needed.
   */
  'vectors:health': {
    input: z.object({ collection: CollectionIdSchema.optional() }).strict(),
    output: JobRecordSchema,
  },
  /** Rebuilds a collection's index from assistant.db in a worker thread and swaps it in (a job). */
  'vectors:compact': { input: collectionInput, output: JobRecordSchema },
  /**
   * SQLite upkeep of assistant.db and the catalog (a job): checkpoint, optimize, the weekly
   * integrity check, VACUUM when more than a quarter of the pages are free.
   */
  'vectors:upkeep': { input: empty, output: JobRecordSchema },
  /** Recent upkeep runs, newest first. */
  'vectors:upkeep-history': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(20) }).strict(),
    output: z.object({ runs: z.array(UpkeepRunSchema).readonly() }),
  },
} as const;

/** Event channels of the vectors domain. */
export const vectorEvents = {
  /** A collection's index changed: imported into, compacted, checked or healed. */
  'vectors:changed': z.object({ collection: z.string() }),
} as const;
