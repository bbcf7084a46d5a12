/**
 * Tells a JSON file cut short from one that is wrong in the middle.
 *
 * Why it matters: the stores of seeds 001 and 002 are written atomically (temp file, rename), so
 * the app never leaves half a file; a file that ends early was damaged after the fact (a full
 * disk, a copy cut off, a crash of something else) and its tail is lost.
 */

/** The outcome of parsing a JSON store file. */
export type JsonParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly truncated: boolean; readonly detail: string };

/** Parses `text`, saying whether a failure is a file that ends too early. */
export function parseJsonFile(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = (error as Error).message;
    const end = text.trimEnd().length;
    const at = /at position (\d+)/.exec(detail);
    // V8 says "Unexpected end of JSON input" for most cuts, and gives the position of an
    // unterminated string or an unfinished array at the very end for the others.
    const truncated =
      end === 0 || /end of JSON input/.test(detail) || (at !== null && Number(at[1]) >= end);
    return { ok: false, truncated, detail };
  }
}

/** How many records a store file holds: the length of an array, the keys of an object. */
export function recordCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 1;
}
