/**
 * What a store's validation found: typed findings, each naming a file and saying what to do.
 *
 * Note: these are values, not errors. A store with a truncated file still validates; the
 * truncated file is one finding among its facts. The schemas are zod so that the lead can move
 * them into src-shared/models when the profiles reach the contract.
 */
import { z } from 'zod';

/** Every kind of thing a store validation can find; stable, so the UI and scripts can act on them. */
export const storeFindingCodes = [
  // any store
  'FILE_MISSING',
  'FILE_UNREADABLE',
  'FILE_CHANGING',
  // sqlite
  'SQLITE_NOT_DATABASE',
  'SQLITE_CORRUPT',
  'SQLITE_UNREADABLE',
  'SQLITE_TABLES_MISSING',
  // json-store
  'JSON_TRUNCATED',
  'JSON_INVALID',
  'JSON_SHAPE',
  // faiss
  'FAISS_TRUNCATED',
  'FAISS_MALFORMED',
  'FAISS_TRAILING_BYTES',
  'FAISS_UNSUPPORTED_TYPE',
  'FAISS_DOCSTORE_MISSING',
  'FAISS_COUNT_MISMATCH',
  // chroma
  'CHROMA_NOT_CHROMA',
  'CHROMA_SEGMENT_MISSING',
  'CHROMA_SEGMENT_INCOMPLETE',
  'CHROMA_SEGMENT_ORPHAN',
  // lancedb
  'LANCE_TABLE_MISSING',
  'LANCE_TABLE_UNREADABLE',
  'LANCE_ROWS_MISMATCH',
  // ollama-models
  'OLLAMA_MANIFEST_INVALID',
  'OLLAMA_BLOB_MISSING',
  'OLLAMA_BLOB_SIZE_MISMATCH',
  'OLLAMA_BLOB_HASH_MISMATCH',
  'OLLAMA_BLOB_ORPHAN',
  'OLLAMA_PARTIAL_DOWNLOAD',
  'OLLAMA_STRAY_FILE',
  // hnswlib
  'HNSW_INDEX_BROKEN',
  'HNSW_META_MISSING',
  // profile layouts
  'UPLOAD_ORPHAN',
  'ENTITY_NO_UPLOADS',
] as const;

/** A stable finding code. */
export const StoreFindingCodeSchema = z.enum(storeFindingCodes);
export type StoreFindingCode = z.infer<typeof StoreFindingCodeSchema>;

/**
 * How much a finding matters.
 *
 * `problem`: data is damaged or missing (a restore brings it back); `reclaimable`: space that
 * nothing uses (orphans, unfinished downloads), safe to clean up; `notice`: worth knowing,
 * nothing to do.
 */
export const FindingSeveritySchema = z.enum(['problem', 'reclaimable', 'notice']);
export type FindingSeverity = z.infer<typeof FindingSeveritySchema>;

/** One thing a validation found, named by file, with what to do about it. */
export const StoreFindingSchema = z.object({
  code: StoreFindingCodeSchema,
  severity: FindingSeveritySchema,
  /** The file or folder, relative to the store's location ('' for the location itself). */
  path: z.string(),
  /** What is wrong, in the words of the person who owns the data. */
  message: z.string(),
  /** What to do about it. */
  action: z.string(),
  /** Bytes involved (the size of an orphan, of a partial download), when it helps. */
  bytes: z.number().int().min(0).optional(),
});
export type StoreFinding = z.infer<typeof StoreFindingSchema>;

/** The result of validating one store: the facts it read and what it found. */
export interface StoreCheck<Facts> {
  /** True when no finding is a `problem`. */
  readonly ok: boolean;
  readonly findings: ReadonlyArray<StoreFinding>;
  readonly facts: Facts;
}

/** A check of `facts` and `findings`, with `ok` derived from them. */
export function storeCheck<Facts>(
  facts: Facts,
  findings: ReadonlyArray<StoreFinding>,
): StoreCheck<Facts> {
  return { ok: findings.every((finding) => finding.severity !== 'problem'), findings, facts };
}

/** The bytes that the `reclaimable` findings would free. */
export function reclaimableBytes(findings: ReadonlyArray<StoreFinding>): number {
  let total = 0;
  for (const finding of findings) {
    if (finding.severity === 'reclaimable') total += finding.bytes ?? 0;
  }
  return total;
}

/** The finding that a file the store needs is not there. */
export function missingFile(path: string, what: string): StoreFinding {
  return {
    code: 'FILE_MISSING',
    severity: 'problem',
    path,
    message: `${what} is missing (${path}).`,
    action: 'Restore it from a backup that has it.',
  };
}

/** The finding that a file cannot be read (permissions, I/O error). */
export function unreadableFile(path: string, reason: string): StoreFinding {
  return {
    code: 'FILE_UNREADABLE',
    severity: 'problem',
    path,
    message: `${path} cannot be read: ${reason}.`,
    action:
      'Check the file permissions and the disk; if the file is damaged, restore it from a backup.',
  };
}
