import { describe, expect, it } from 'vitest';
import type { BackupSidecar } from '../../../../src-shared/models/backup-manifest';
import { sameAsTrusted } from '../../../../src-main/engine/restore/backup-manifest-reader';

const sidecar = {
  format: 'tend-backup',
  formatVersion: 1,
  tendVersion: '0.1.0',
  id: 'b1',
  kind: 'full',
  categories: ['irreplaceable'],
  createdAt: '2026-11-30T00:00:00.000Z',
  sourceRoot: '/root',
  host: 'here',
  assistantSchemaVersion: null,
  collections: [],
  entries: [
    { type: 'directory', path: 'a', mtimeMs: 1, mode: 0o755 },
    { type: 'file', path: 'a/b.json', size: 2, mtimeMs: 1, mode: 0o644, sha256: 'f'.repeat(64), category: 'irreplaceable' },
  ],
  totals: { files: 1, bytes: 2 },
  warnings: [],
  leftOut: [],
  archive: { fileName: 'tend-1.tar.gz', bytes: 10, sha256: 'e'.repeat(64) },
} as unknown as BackupSidecar; // prettier-ignore

/** The manifest as the archive holds it: the sidecar without its archive field. */
function inside(change: (manifest: Record<string, unknown>) => void = () => undefined) {
  const copy = JSON.parse(JSON.stringify(sidecar)) as Record<string, unknown>;
  delete copy.archive;
  change(copy);
  return copy;
}

const cases: ReadonlyArray<[string, unknown, boolean]> = [
  ['the same manifest', inside(), true],
  [
    'the same manifest, keys in another order',
    Object.fromEntries(Object.entries(inside()).reverse()),
    true,
  ],
  [
    'a hash changed',
    inside((m) => ((m.entries as Array<Record<string, unknown>>)[1]!.sha256 = 'a'.repeat(64))),
    false,
  ],
  ['an entry dropped', inside((m) => (m.entries as unknown[]).pop()), false],
  ['a key added', inside((m) => (m.extra = 1)), false],
  ['an archive field of its own', { ...inside(), archive: sidecar.archive }, false],
  ['a size as a string', inside((m) => ((m.totals as Record<string, unknown>).bytes = '2')), false],
  ['not an object', [inside()], false],
  ['null', null, false],
];

describe('sameAsTrusted', () => {
  it.each(cases)('%s', (_, raw, same) => {
    const result = sameAsTrusted(raw, sidecar);
    if (same) {
      expect(result).toEqual(inside());
      expect(result).not.toHaveProperty('archive');
    } else {
      expect(result).toBeNull();
    }
  });
});
