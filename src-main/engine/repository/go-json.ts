/**
 * JSON text the way Go's encoding/json writes it, so tree blobs hash like restic's.
 *
 * restic doc/design.rst ("Unpacked Data Format", "Trees and Data"): "The JSON encoder must
 * deterministically encode the document and should match the behavior of the Go standard
 * library implementation in encoding/json". Two things differ from JSON.stringify: Go escapes
 * `<`, `>`, `&`, U+2028 and U+2029 (HTML-safe by default), and keeps the key order of its
 * struct fields, which the callers here give explicitly as an array of pairs.
 */

/** A value Go would write: strings, whole numbers (bigint for 64-bit fields), booleans, null. */
export type GoJsonValue =
  string | number | bigint | boolean | null | GoJsonObject | ReadonlyArray<GoJsonValue>;

/** An object as an ordered list of fields (Go writes struct fields in declaration order). */
export interface GoJsonObject {
  readonly fields: ReadonlyArray<readonly [string, GoJsonValue]>;
}

/** An ordered object: `goObject([['a', 1], ['b', 'x']])`. */
export function goObject(fields: ReadonlyArray<readonly [string, GoJsonValue]>): GoJsonObject {
  return { fields };
}

/** What goJsonString escapes; a string without any is written as it is. */
// eslint-disable-next-line no-control-regex -- control characters are what Go escapes
const needsJsonEscape = /["\\\u0000-\u001f<>&\u2028\u2029]/;

/** A JSON string literal with Go's escaping (encoding/json encodeState.string, escapeHTML on). */
export function goJsonString(value: string): string {
  if (!needsJsonEscape.test(value)) return `"${value}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    let escaped: string | null = null;
    if (code === 0x22) escaped = '\\"';
    else if (code === 0x5c) escaped = '\\\\';
    else if (code === 0x0a) escaped = '\\n';
    else if (code === 0x0d) escaped = '\\r';
    else if (code === 0x09) escaped = '\\t';
    else if (code < 0x20 || code === 0x3c || code === 0x3e || code === 0x26) {
      // Go 1.19 (Debian's restic 0.14) writes \b and \f as \u0008 and \u000c too.
      escaped = `\\u00${code.toString(16).padStart(2, '0')}`;
    } else if (code === 0x2028 || code === 0x2029) escaped = `\\u${code.toString(16)}`;
    if (escaped !== null) {
      out += value.slice(start, i) + escaped;
      start = i + 1;
    }
  }
  return `${out}${value.slice(start)}"`;
}

/** Encodes a value as Go's json.Marshal would (no spaces, no trailing newline). */
export function goJson(value: GoJsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return goJsonString(value);
    case 'number':
      if (!Number.isSafeInteger(value)) throw new Error(`Not a whole number: ${value}`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (isGoObject(value)) {
    return `{${value.fields.map(([key, field]) => `${goJsonString(key)}:${goJson(field)}`).join(',')}}`;
  }
  return `[${value.map(goJson).join(',')}]`;
}

function isGoObject(value: GoJsonObject | ReadonlyArray<GoJsonValue>): value is GoJsonObject {
  return !Array.isArray(value);
}
