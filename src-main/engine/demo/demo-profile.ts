import type { DemoSize } from '../../../src-shared/models/demo';
import { assertNever } from '../../../src-shared/errors';

/** How much of everything a demo root of one size holds. */
export interface DemoProfile {
  readonly collections: number;
  readonly documents: number;
  /** Mean chunks per document; the total lands near documents × this. */
  readonly chunksPerDocument: number;
  /** Share of documents that are soft-deleted (with their chunks). */
  readonly deletedDocumentShare: number;
  readonly memories: number;
  readonly chatSessions: number;
  readonly interactions: number;
  /** Small tokenizer cache entries under local_data/cache/tokens/. */
  readonly cacheEntries: number;
  readonly cacheEntryMedianBytes: number;
  /** tiktoken-style encoding files under local_data/cache/tiktoken/. */
  readonly tiktokenFiles: number;
  readonly tiktokenBytes: number;
  /** Days of rotated logs. */
  readonly logDays: number;
  /** Bytes per day of app and access logs, per week of error logs. */
  readonly appLogBytes: number;
  readonly accessLogBytes: number;
  readonly errorLogBytes: number;
  readonly legacyEntities: number;
  readonly legacyUploads: number;
  /** Weights of the embedding model in local_data/models/. */
  readonly embeddingModelBytes: number;
  /** Weights of the model in the Hugging Face style cache. */
  readonly cachedModelBytes: number;
  /** Weights of the custom (irreplaceable) model. */
  readonly customModelBytes: number;
  /** Weights of a local chat model; 0 for none. */
  readonly chatModelBytes: number;
  /** Entries of the generated tokenizer.json vocabularies. */
  readonly vocabularySize: number;
}

const KB = 1024;
const MB = 1024 * KB;

const small: DemoProfile = {
  collections: 3,
  documents: 110,
  chunksPerDocument: 18,
  deletedDocumentShare: 0.04,
  memories: 60,
  chatSessions: 40,
  interactions: 20_000,
  cacheEntries: 120,
  cacheEntryMedianBytes: 1_500,
  tiktokenFiles: 2,
  tiktokenBytes: 256 * KB,
  logDays: 90,
  appLogBytes: 6 * KB,
  accessLogBytes: 8 * KB,
  errorLogBytes: 4 * KB,
  legacyEntities: 3,
  legacyUploads: 15,
  embeddingModelBytes: 2 * MB,
  cachedModelBytes: 1 * MB,
  customModelBytes: 256 * KB,
  chatModelBytes: 0,
  vocabularySize: 3_000,
};

const medium: DemoProfile = {
  collections: 5,
  documents: 2_600,
  chunksPerDocument: 7.7,
  deletedDocumentShare: 0.03,
  memories: 500,
  chatSessions: 400,
  interactions: 200_000,
  cacheEntries: 16_000,
  cacheEntryMedianBytes: 1_000,
  tiktokenFiles: 3,
  tiktokenBytes: 1 * MB,
  logDays: 90,
  appLogBytes: 48 * KB,
  accessLogBytes: 64 * KB,
  errorLogBytes: 24 * KB,
  legacyEntities: 6,
  legacyUploads: 400,
  embeddingModelBytes: 60 * MB,
  cachedModelBytes: 32 * MB,
  customModelBytes: 4 * MB,
  chatModelBytes: 0,
  vocabularySize: 30_522,
};

const large: DemoProfile = {
  collections: 6,
  documents: 6_000,
  chunksPerDocument: 8.3,
  deletedDocumentShare: 0.03,
  memories: 2_000,
  chatSessions: 1_500,
  interactions: 500_000,
  cacheEntries: 30_000,
  cacheEntryMedianBytes: 1_200,
  tiktokenFiles: 4,
  tiktokenBytes: 1.6 * MB,
  logDays: 90,
  appLogBytes: 160 * KB,
  accessLogBytes: 240 * KB,
  errorLogBytes: 64 * KB,
  legacyEntities: 10,
  legacyUploads: 1_200,
  embeddingModelBytes: 90 * MB,
  cachedModelBytes: 128 * MB,
  customModelBytes: 24 * MB,
  chatModelBytes: 1_250 * MB,
  vocabularySize: 30_522,
};

/** The profile of a demo size. */
export function demoProfile(size: DemoSize): DemoProfile {
  switch (size) {
    case 'small':
      return small;
    case 'medium':
      return medium;
    case 'large':
      return large;
    default:
      return assertNever(size);
  }
}
