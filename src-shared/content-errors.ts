/**
 * Messages about what is wrong inside a file a person gave Tend to import, that name the line
 * and the problem but never repeat the file's content: an import file can hold anything (a
 * `.env` picked by mistake), and an error travels to logs, the UI and the web host.
 */
import type { z } from 'zod';

/** A UTF-8 byte order mark, which some editors put at the start of a file. */
export const BYTE_ORDER_MARK = '\uFEFF';

/** A file's first line without the byte order mark an editor may have put before it. */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}

/**
 * Why a line is not JSON, without quoting it.
 *
 * Note: V8's own messages quote the start of the text (`Unexpected token 'A', "AWS_SECRET"...
 * is not valid JSON`), so only the position is kept from them.
 */
export function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/end of JSON input/i.test(message)) return 'not valid JSON (it ends too early)';
  const at = /at position (\d+)/.exec(message);
  return at ? `not valid JSON (at character ${Number(at[1]) + 1})` : 'not valid JSON';
}

/**
 * One schema issue of a record, in words that name the field (or CSV column) and the problem
 * but not the value: unknown keys are counted, not listed, as a CSV header line or a JSON key
 * may be anything.
 */
export function describeRecordIssue(
  issue: z.core.$ZodIssue,
  noun: 'field' | 'column',
  expected: ReadonlyArray<string> = [],
): string {
  const name = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const list = expected.length > 0 ? `; the ${noun}s are ${expected.join(', ')}` : '';
    return `${issue.keys.length} unknown ${noun}(s)${list}`;
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return `the ${noun} "${name}" is missing`;
  }
  return name ? `${noun} "${name}": ${issue.message}` : issue.message;
}
