/**
 * Reading the records of an import file (JSON Lines or CSV) with their line numbers, and
 * checking each against its schema. Every error names the line and the problem, never the
 * file's content: the file may be anything a person picked, a `.env` included.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import type { z } from 'zod';
import {
  describeJsonError,
  describeRecordIssue,
  withoutByteOrderMark,
} from '../../../src-shared/content-errors';
import { TendFailure } from '../../../src-shared/errors';
import type { RecordFormat, RecordKind } from '../../../src-shared/models/maintenance';
import { csvColumns, optionalCsvColumns } from './record-schemas';
import { countOf } from '../../../src-shared/language/counts';

/** One record and the line it starts on. */
export interface NumberedRecord {
  readonly line: number;
  readonly value: unknown;
}

function invalid(file: string, line: number | null, problem: string): TendFailure {
  return new TendFailure(
    'RECORD_INVALID',
    `${file}${line ? `, line ${line}` : ''}: ${problem}. Nothing was imported.`,
    line ? { line } : undefined,
  );
}

async function readJsonLines(file: string): Promise<NumberedRecord[]> {
  const out: NumberedRecord[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? withoutByteOrderMark(raw) : raw;
    if (text.trim() === '') continue;
    try {
      out.push({ line, value: JSON.parse(text) });
    } catch (error) {
      throw invalid(file, line, describeJsonError(error));
    }
  }
  return out;
}

/** csv-parse's errors in words that do not quote the file. */
function describeCsvError(error: { code?: string; message: string }): string {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const counts = /expect (\d+), got (\d+)/.exec(error.message);
      return counts
        ? `the row has ${counts[2]} cells; the header has ${counts[1]}`
        : 'the row has another number of cells than the header';
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quoted cell goes on after its closing quote';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a character follows a closing quote';
    default:
      return 'not valid CSV';
  }
}

/** Checks a CSV header against the kind's columns: none unknown, none required missing. */
function checkHeader(file: string, kind: RecordKind, header: ReadonlyArray<string>): void {
  const known: ReadonlyArray<string> = csvColumns[kind];
  const unknown = header.filter((column) => !known.includes(column)).length;
  const missing = known.filter(
    (column) => !header.includes(column) && !optionalCsvColumns[kind].includes(column),
  );
  const repeated = header.length !== new Set(header).size;
  if (unknown === 0 && missing.length === 0 && !repeated) return;
  const parts = [
    unknown > 0 ? countOf(unknown, 'unknown column') : null,
    missing.length > 0 ? `no column ${missing.map((c) => `"${c}"`).join(', ')}` : null,
    repeated ? 'a column named twice' : null,
  ].filter(Boolean);
  throw invalid(
    file,
    1,
    `the header has ${parts.join(' and ')}; a ${kind} CSV has the columns ${known.join(', ')}`,
  );
}

async function readCsv(file: string, kind: RecordKind): Promise<NumberedRecord[]> {
  const out: NumberedRecord[] = [];
  // Rows as arrays, so the header is checked here and never echoed by a schema error.
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ info: true, skip_empty_lines: true, bom: true }));
  let header: string[] | null = null;
  let line = 1;
  try {
    for await (const entry of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      line = entry.info.lines;
      if (!header) {
        header = entry.record.map((cell) => cell.trim());
        checkHeader(file, kind, header);
        continue;
      }
      const value: Record<string, string> = {};
      header.forEach((column, at) => (value[column] = entry.record[at] ?? ''));
      out.push({ line, value });
    }
  } catch (error) {
    if (error instanceof TendFailure) throw error;
    const failure = error as { code?: string; lines?: number; message: string };
    throw invalid(file, failure.lines ?? line + 1, describeCsvError(failure));
  }
  return out;
}

/** Every record of an import file with its line number; a file that does not parse stops it. */
export async function readRecords(
  file: string,
  kind: RecordKind,
  format: RecordFormat,
): Promise<NumberedRecord[]> {
  return format === 'jsonl' ? readJsonLines(file) : readCsv(file, kind);
}

/** A record checked against its schema, or RECORD_INVALID with its line and problems. */
export function checkRecord<S extends z.ZodTypeAny>(
  schema: S,
  record: NumberedRecord,
  file: string,
  format: RecordFormat,
): z.output<S> {
  const parsed = schema.safeParse(record.value);
  if (parsed.success) return parsed.data;
  const noun = format === 'csv' ? 'column' : 'field';
  const problems = parsed.error.issues.slice(0, 3).map((issue) => describeRecordIssue(issue, noun));
  const more =
    parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
  throw new TendFailure(
    'RECORD_INVALID',
    `${file}, line ${record.line}: ${problems.join('; ')}${more}. Nothing was imported.`,
    { line: record.line, problems },
  );
}
