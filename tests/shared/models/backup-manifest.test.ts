import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  isExactManifestEntry,
  ManifestEntrySchema,
} from '../../../src-shared/models/backup-manifest';

const valid: ReadonlyArray<Record<string, unknown>> = [
  { type: 'file', path: 'a/b.json', size: 2, mtimeMs: 1.5, mode: 0o644, sha256: 'f0'.repeat(32), category: 'irreplaceable' },
  { type: 'file', path: 'é', size: 0, mtimeMs: -3, mode: 0, sha256: '0123456789abcdef'.repeat(4), category: 'redownloadable' },
  { type: 'directory', path: 'a', mtimeMs: 1, mode: 0o755 },
  { type: 'symlink', path: 'a/l', mtimeMs: 1, mode: 0o777, target: '', category: 'rebuildable' },
]; // prettier-ignore

// Values JSON can hold, and one it cannot (NaN), for every field of every kind of entry.
const oddValues: ReadonlyArray<unknown> = [
  undefined, null, true, '', 'x', 'file', 'directory', 'irreplaceable', '1', -1, -0, 1.5,
  2 ** 53, 2 ** 53 - 1, Infinity, NaN, [], {}, [1], 'A'.repeat(64), 'g'.repeat(64),
  'a'.repeat(63), 'a'.repeat(65), ` ${'a'.repeat(64)}`,
]; // prettier-ignore

/** Every valid entry with one field changed, removed, or one added. */
function variants(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const entry of valid) {
    const keys = ['type', 'path', 'size', 'mtimeMs', 'mode', 'sha256', 'category', 'target'];
    for (const key of keys) {
      for (const value of oddValues) {
        const changed: Record<string, unknown> = { ...entry, [key]: value };
        if (value === undefined) delete changed[key];
        out.push([`${String(entry.type)} ${key}=${JSON.stringify(value) ?? 'removed'}`, changed]);
      }
    }
    out.push([`${String(entry.type)} with another field`, { ...entry, extra: 1 }]);
    out.push([`${String(entry.type)} with __proto__`, JSON.parse(`{"__proto__":1,${JSON.stringify(entry).slice(1)}`)]);
    out.push([`${String(entry.type)} as a list`, Object.assign([], entry)]);
  }
  out.push(['null', null], ['a string', 'file'], ['a number', 1]);
  return out;
} // prettier-ignore

/** What the schema says: true when it accepts the entry and gives it back unchanged. */
function schemaKeepsAsIs(value: unknown): boolean {
  const parsed = ManifestEntrySchema.safeParse(value);
  return parsed.success && isDeepStrictEqual({ ...parsed.data }, { ...(value as object) });
}

describe('isExactManifestEntry', () => {
  it.each(valid.map((entry) => [entry.type, entry]))('takes a valid %s', (_, entry) => {
    expect(isExactManifestEntry(entry)).toBe(true);
    expect(schemaKeepsAsIs(entry)).toBe(true);
  });

  it.each(variants())('says what the schema says of %s', (_, value) => {
    expect(isExactManifestEntry(value)).toBe(schemaKeepsAsIs(value));
  });
});
