import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupSidecar } from '../../../../src-shared/models/backup-manifest';
import { ManifestWriter } from '../../../../src-main/engine/backup/manifest-writer';
import {
  readSidecar,
  sameAsTrusted,
  sameBytesAsTrusted,
} from '../../../../src-main/engine/restore/backup-manifest-reader';

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

describe('sameBytesAsTrusted', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-same-bytes-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The sidecar and the manifest inside the archive, as the backup writer writes them. */
  async function written(): Promise<{ sidecarText: Buffer; insideText: Buffer }> {
    const writer = await ManifestWriter.create(path.join(dir, `entries-${Math.random()}`));
    for (const entry of sidecar.entries) writer.add(entry);
    await writer.close();
    const { totals, warnings, leftOut, archive } = sidecar;
    const head = { ...sidecar } as Partial<BackupSidecar>;
    for (const key of ['entries', 'totals', 'warnings', 'leftOut', 'archive'] as const)
      delete head[key];
    const collect = async (chunks: AsyncIterable<Buffer>) => {
      const parts: Buffer[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      return Buffer.concat(parts);
    };
    return {
      sidecarText: await collect(
        writer.chunks(head as BackupSidecar, { totals, warnings, leftOut, archive }),
      ),
      insideText: await collect(
        writer.chunks(head as BackupSidecar, { totals, warnings, leftOut }),
      ),
    };
  }

  /** A sidecar as readSidecar reads it from `text`. */
  async function read(text: Buffer | string): Promise<BackupSidecar> {
    const archive = path.join(dir, `tend-${Math.random()}.tar.gz`);
    fs.writeFileSync(archive.replace(/\.tar\.gz$/, '.manifest.json'), text);
    return (await readSidecar(archive))!;
  }

  it('takes the manifest the backup writer put in the archive beside its sidecar', async () => {
    const { sidecarText, insideText } = await written();
    const trusted = await read(sidecarText);
    expect(sameBytesAsTrusted(insideText, trusted)).toEqual(inside());
    expect(sameBytesAsTrusted(insideText, trusted)).not.toHaveProperty('archive');
  });

  const changes: ReadonlyArray<[string, (text: string) => string]> = [
    ['a hash changed', (text) => text.replace('f'.repeat(64), 'a'.repeat(64))],
    ['a size changed in one digit', (text) => text.replace('"size":2', '"size":3')],
    ['without its last newline', (text) => text.slice(0, -1)],
    ['with a space more', (text) => text.replace('{"type"', '{ "type"')],
    ['with an archive field of its own', (text) => text.replace(/}\n$/, `,"archive":${JSON.stringify(sidecar.archive)}}\n`)],
    ['cut short', (text) => text.slice(0, 40)],
    ['empty', () => ''],
  ]; // prettier-ignore

  it.each(changes)('does not take a manifest %s', async (_, change) => {
    const { sidecarText, insideText } = await written();
    const trusted = await read(sidecarText);
    expect(sameBytesAsTrusted(Buffer.from(change(insideText.toString())), trusted)).toBeNull();
  });

  it('leaves a sidecar written another way to sameAsTrusted', async () => {
    const { insideText } = await written();
    // Pretty-printed (as `restore import` writes one), or not read from a file at all.
    const pretty = await read(JSON.stringify(sidecar, null, 2));
    expect(sameBytesAsTrusted(insideText, pretty)).toBeNull();
    expect(sameAsTrusted(JSON.parse(insideText.toString()), pretty)).toEqual(inside());
    expect(sameBytesAsTrusted(insideText, sidecar)).toBeNull();
  });

  it('does not take a manifest when the sidecar was changed on its way in', async () => {
    const { sidecarText, insideText } = await written();
    const changed = sidecarText.toString().replace('"size":2', '"size":3');
    const trusted = await read(changed.replace('"bytes":2}', '"bytes":3}'));
    expect(trusted.totals.bytes).toBe(3);
    expect(sameBytesAsTrusted(insideText, trusted)).toBeNull();
  });
});
