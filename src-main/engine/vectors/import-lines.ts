/**
 * Reading an import file: JSONL lines of `{document, text, embedding, metadata}`, each checked
 * with its line number before anything is written.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { z } from 'zod';
import {
  describeJsonError,
  describeRecordIssue,
  withoutByteOrderMark,
} from '../../../src-shared/content-errors';
import { encodeEmbedding } from '../store/assistant-db';
import { DocumentDigest } from './document-digest';

/** The largest finite float32: an index stores 32-bit floats, so a larger value is infinite. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** The largest token count a chunk row stores (an SQLite INTEGER Tend reads as a JS number). */
const MAX_TOKEN_COUNT = 2 ** 31 - 1;

/** One line of an import file, as written by the user's tooling. */
export const ImportLineSchema = z.object({
  /** The document's id: lines with the same one are chunks of one document, in order. */
  document: z.string().min(1).max(500),
  text: z.string(),
  // Checked value by value below, so the message can say which value and why.
  embedding: z.array(z.unknown()).min(1).max(16384),
  /** Optional: title, source, mime, token_count; anything else is ignored. */
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type ImportLine = Omit<z.infer<typeof ImportLineSchema>, 'embedding'> & {
  embedding: number[];
};

/** A line that cannot be imported. */
export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * Why a value cannot be an embedding value, or null: NaN, infinities and values beyond
 * float32 (1e39 parses, then becomes Infinity in the index and poisons every distance).
 */
export function embeddingValueProblem(value: unknown): string | null {
  if (typeof value !== 'number')
    return `is ${value === null ? 'null' : `a ${typeof value}`}, not a number`;
  if (!Number.isFinite(value)) return 'is not a finite number';
  if (Math.abs(value) > FLOAT32_MAX) return 'is too large for a 32-bit float (over ±3.4e38)';
  return null;
}

/** The problems of one line: parse, fields, dimension, finiteness. */
export function checkLine(
  raw: string,
  lineNumber: number,
  dimension: number | null,
): { line: ImportLine } | { problem: LineProblem } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    // The message names where, never what: the line may hold anything.
    return { problem: { line: lineNumber, message: describeJsonError(error) } };
  }
  const parsed = ImportLineSchema.safeParse(json);
  if (!parsed.success) {
    return {
      problem: { line: lineNumber, message: describeRecordIssue(parsed.error.issues[0]!, 'field') },
    };
  }
  const { embedding, metadata } = parsed.data;
  for (let at = 0; at < embedding.length; at++) {
    const problem = embeddingValueProblem(embedding[at]);
    if (problem) {
      return {
        problem: {
          line: lineNumber,
          message: `embedding value ${at} ${problem}; only finite 32-bit numbers can be stored`,
        },
      };
    }
  }
  const tokens = metadata?.token_count;
  // Rounded when stored; anything past the column's range would fail the whole import.
  if (
    tokens !== undefined &&
    (typeof tokens !== 'number' || !(tokens >= 0 && tokens <= MAX_TOKEN_COUNT))
  ) {
    return {
      problem: {
        line: lineNumber,
        message: `metadata.token_count must be a number from 0 to ${MAX_TOKEN_COUNT}`,
      },
    };
  }
  if (dimension !== null && embedding.length !== dimension) {
    return {
      problem: {
        line: lineNumber,
        message: `the embedding has ${embedding.length} values; the collection's dimension is ${dimension}`,
      },
    };
  }
  return { line: { ...parsed.data, embedding: embedding as number[] } };
}

/** Reads a file line by line with 1-based numbers and the bytes read so far. */
export async function* readLines(
  file: string,
  signal: AbortSignal,
): AsyncGenerator<{ text: string; number: number; bytesRead: number }> {
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const text of lines) {
      signal.throwIfAborted();
      number++;
      // An editor's byte order mark is not part of the first line's JSON.
      yield {
        text: number === 1 ? withoutByteOrderMark(text) : text,
        number,
        bytesRead: stream.bytesRead,
      };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** One document of an import file: where it starts, its chunks and their fingerprint. */
export interface FileDocument {
  readonly firstLine: number;
  readonly chunks: number;
  readonly digest: string;
}

/** What the checking pass learned about a file. */
export interface CheckedFile {
  /** Lines with content (blank lines are skipped). */
  readonly count: number;
  readonly dimension: number | null;
  readonly problems: ReadonlyArray<LineProblem>;
  /** Every document of the file (when no line has a problem), by id. */
  readonly documents: ReadonlyMap<string, FileDocument>;
}

/** Problems past this many are counted, not listed. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * Checks every line of a file against a known dimension (or the first good line's one), and
 * lists the first problems with their line numbers.
 */
export async function checkImportFile(
  file: string,
  knownDimension: number | null,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<CheckedFile & { problemCount: number }> {
  let dimension = knownDimension;
  let count = 0;
  let problemCount = 0;
  const problems: LineProblem[] = [];
  const digests = new Map<string, { firstLine: number; digest: DocumentDigest }>();
  for await (const { text, number, bytesRead } of readLines(file, signal)) {
    onBytes(bytesRead);
    if (text.trim() === '') continue;
    const checked = checkLine(text, number, dimension);
    if ('problem' in checked) {
      problemCount++;
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(checked.problem);
      continue;
    }
    dimension ??= checked.line.embedding.length;
    count++;
    if (problemCount > 0) continue;
    const { document, text: chunk, embedding } = checked.line;
    let entry = digests.get(document);
    if (!entry) {
      entry = { firstLine: number, digest: new DocumentDigest() };
      digests.set(document, entry);
    }
    entry.digest.add(chunk, encodeEmbedding(Float32Array.from(embedding)));
  }
  const documents = new Map<string, FileDocument>();
  if (problemCount === 0) {
    for (const [id, entry] of digests) {
      documents.set(id, {
        firstLine: entry.firstLine,
        chunks: entry.digest.chunks,
        digest: entry.digest.digest(),
      });
    }
  }
  return { count, dimension, problems, problemCount, documents };
}
