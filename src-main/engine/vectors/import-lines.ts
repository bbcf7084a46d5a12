/**
 * Reading an import file: JSONL lines of `{document, text, embedding, metadata}`, each checked
 * with its line number before anything is written.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { z } from 'zod';

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
    return {
      problem: { line: lineNumber, message: `not valid JSON (${(error as Error).message})` },
    };
  }
  const parsed = ImportLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || 'line';
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    return {
      problem: {
        line: lineNumber,
        message: missing ? `the field "${field}" is missing` : `${field}: ${issue.message}`,
      },
    };
  }
  const { embedding } = parsed.data;
  // JSON has no NaN, but 1e999 parses to Infinity; either would poison every distance.
  const bad = embedding.findIndex((value) => typeof value !== 'number' || !Number.isFinite(value));
  if (bad >= 0) {
    const value = embedding[bad];
    return {
      problem: {
        line: lineNumber,
        message: `embedding value ${bad} is ${typeof value === 'number' ? String(value) : JSON.stringify(value)}; only finite numbers can be stored`,
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
      yield { text, number, bytesRead: stream.bytesRead };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** What the checking pass learned about a file. */
export interface CheckedFile {
  /** Lines with content (blank lines are skipped). */
  readonly count: number;
  readonly dimension: number | null;
  readonly problems: ReadonlyArray<LineProblem>;
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
  }
  return { count, dimension, problems, problemCount };
}
