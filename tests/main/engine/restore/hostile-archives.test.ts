import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildArchive,
  encodeEntry,
  fileEntry,
  type ArchiveSpec,
  type RawEntry,
} from './support/archive-builder';
import { writeSettings } from '../../../../src-main/engine/root/settings-file';
import { restoreFixture, type RestoreFixture } from './support/restore-fixture';

const honestFiles = [
  { path: 'config/settings.json', content: '{"restored":true}\n' },
  { path: 'local_data/internal_assistant/documents/c1/a.md', content: '# restored A\n' },
  { path: 'local_data/internal_assistant/documents/c1/new.md', content: '# restored new\n' },
];

let fixture: RestoreFixture | null = null;
afterEach(async () => {
  await fixture?.engine.close();
  fixture = null;
});

/** Builds a spoiled archive, tries to restore it, and checks nothing moved anywhere. */
async function refused(spec: Partial<ArchiveSpec>, codes: ReadonlyArray<string>, name = 'x') {
  fixture = await restoreFixture();
  const before = fixture.snapshot();
  const built = buildArchive(path.join(fixture.base, `archives-${name}`), {
    files: honestFiles,
    ...spec,
  });
  const code = await fixture.attempt(built.archivePath);
  expect(codes).toContain(code);
  expect(fixture.snapshot()).toEqual(before);
  expect(fixture.clean()).toBe(true);
  await fixture.engine.close();
  fixture = null;
}

const append =
  (...extra: RawEntry[]) =>
  (entries: RawEntry[]) => [...entries, ...extra];

describe('hostile archives are refused before the swap, live data and canary untouched', () => {
  it('restores the honest archive (the control case)', async () => {
    fixture = await restoreFixture();
    const before = fixture.snapshot();
    const built = buildArchive(path.join(fixture.base, 'archives'), { files: honestFiles });
    expect(await fixture.attempt(built.archivePath)).toBeNull();
    expect(fixture.snapshot().root).not.toEqual(before.root);
    expect(fixture.snapshot().canary).toEqual(before.canary);
  });

  it('refuses an absolute path', () =>
    refused({ tamperEntries: append(fileEntry('/tmp/tend-evil.txt', 'x')) }, [
      'RESTORE_ARCHIVE_UNSAFE',
    ]));

  it('refuses ../ entries', async () => {
    await refused({ tamperEntries: append(fileEntry('../canary/secret.txt', 'pwned')) }, [
      'RESTORE_ARCHIVE_UNSAFE',
    ]);
    await refused({ tamperEntries: append(fileEntry('config/../../canary/secret.txt', 'pwned')) }, [
      'RESTORE_ARCHIVE_UNSAFE',
    ]);
  });

  it('refuses a symlink followed by a file written through it', async () => {
    fixture = await restoreFixture();
    const canary = fixture.canary;
    await fixture.engine.close();
    await refused(
      {
        tamperEntries: append(
          {
            header: {
              path: 'config/escape',
              type: 'SymbolicLink',
              linkpath: canary,
              size: 0,
              mode: 0o777,
            },
            data: Buffer.alloc(0),
          },
          fileEntry('config/escape/secret.txt', 'pwned'),
        ),
      },
      ['RESTORE_ARCHIVE_UNSAFE'],
    );
  });

  it('refuses a symlink the manifest declares when a file is listed behind it', () =>
    refused(
      {
        tamperSidecar: (sidecar) => {
          (sidecar.entries as unknown[]).push(
            {
              type: 'symlink',
              path: 'config/escape',
              mtimeMs: 0,
              mode: 0o777,
              target: '/tmp',
              category: 'irreplaceable',
            },
            {
              type: 'file',
              path: 'config/escape/x',
              size: 1,
              mtimeMs: 0,
              mode: 0o644,
              sha256: 'a'.repeat(64),
              category: 'irreplaceable',
            },
          );
          sidecar.totals.files += 1;
          sidecar.totals.bytes += 1;
        },
      },
      ['RESTORE_ARCHIVE_UNSAFE'],
    ));

  it('refuses a hard link to a file outside', () =>
    refused(
      {
        tamperEntries: append({
          header: {
            path: 'config/hard',
            type: 'Link',
            linkpath: '/etc/passwd',
            size: 0,
            mode: 0o644,
          },
          data: Buffer.alloc(0),
        }),
      },
      ['RESTORE_ARCHIVE_UNSAFE'],
    ));

  it('refuses a device node and a fifo', async () => {
    await refused(
      {
        tamperEntries: append({
          header: {
            path: 'config/null',
            type: 'CharacterDevice',
            devmaj: 1,
            devmin: 3,
            size: 0,
            mode: 0o666,
          },
          data: Buffer.alloc(0),
        }),
      },
      ['RESTORE_ARCHIVE_UNSAFE'],
    );
    await refused(
      {
        tamperEntries: append({
          header: { path: 'config/pipe', type: 'FIFO', size: 0, mode: 0o666 },
          data: Buffer.alloc(0),
        }),
      },
      ['RESTORE_ARCHIVE_UNSAFE'],
    );
  });

  it('refuses more entries, and more bytes, than the manifest says', async () => {
    await refused({ tamperEntries: append(fileEntry('config/extra.json', '{}')) }, [
      'RESTORE_MANIFEST_MISMATCH',
      'RESTORE_ARCHIVE_OVERSIZED',
    ]);
    await refused(
      {
        tamperEntries: (entries) =>
          entries.map((entry, i) =>
            i === 0 ? fileEntry(entry.header.path!, Buffer.alloc(4096, 65)) : entry,
          ),
      },
      ['RESTORE_ARCHIVE_OVERSIZED'],
    );
    // The same file twice: the second copy could overwrite the checked first.
    await refused({ tamperEntries: (entries) => [...entries, entries[0]!] }, [
      'RESTORE_ARCHIVE_UNSAFE',
      'RESTORE_ARCHIVE_OVERSIZED',
    ]);
  });

  it('refuses a gzip bomb without writing it out', async () => {
    fixture = await restoreFixture();
    const before = fixture.snapshot();
    const honest = buildArchive(path.join(fixture.base, 'honest'), { files: honestFiles });
    const tar = zlib.gunzipSync(fs.readFileSync(honest.archivePath));
    // The honest archive followed by 96 MiB of zeros, which gzip squeezes to about 100 KB; the
    // sidecar is made to match, so only the manifest's bound on unpacked bytes can stop it.
    const bomb = zlib.gzipSync(Buffer.concat([tar, Buffer.alloc(96 * 1024 * 1024)]), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const built = buildArchive(path.join(fixture.base, 'bomb'), {
      files: honestFiles,
      tamperArchive: () => bomb,
      sidecarOfTampered: true,
    });
    expect(await fixture.attempt(built.archivePath)).toBe('RESTORE_ARCHIVE_OVERSIZED');
    expect(fixture.snapshot()).toEqual(before);
    expect(fixture.clean()).toBe(true);
  });

  it('refuses an archive truncated at several points', async () => {
    for (const keep of [0.1, 0.5, 0.9, 0.999]) {
      // The sidecar still says the honest size: the quick check sees it at once.
      await refused(
        { tamperArchive: (gz) => gz.subarray(0, Math.floor(gz.length * keep)) },
        ['RESTORE_QUICK_CHECK_FAILED'],
        `t${keep}`,
      );
      // A sidecar rewritten to match: the extractor finds the archive ends early.
      await refused(
        {
          tamperArchive: (gz) => gz.subarray(0, Math.floor(gz.length * keep)),
          sidecarOfTampered: true,
        },
        ['RESTORE_ARCHIVE_CORRUPT'],
        `s${keep}`,
      );
    }
  });

  it('refuses single bit flips anywhere in the archive', async () => {
    for (const at of [0.05, 0.3, 0.6, 0.95]) {
      await refused(
        {
          tamperArchive: (gz) => {
            const out = Buffer.from(gz);
            const offset = Math.max(10, Math.floor(out.length * at));
            out[offset] = (out[offset] ?? 0) ^ 0x10;
            return out;
          },
        },
        [
          'RESTORE_ARCHIVE_CORRUPT',
          'RESTORE_MANIFEST_MISMATCH',
          'RESTORE_ARCHIVE_UNSAFE',
          'RESTORE_ARCHIVE_OVERSIZED',
        ],
        `b${at}`,
      );
    }
  });

  it('refuses a tampered manifest: edited hash, dropped entry, extra entry, inner copy changed', async () => {
    await refused(
      {
        tamperSidecar: (sidecar) => {
          const entry = sidecar.entries[0] as { sha256: string };
          entry.sha256 = '0'.repeat(64);
        },
      },
      ['RESTORE_ARCHIVE_CORRUPT'],
      'hash',
    );
    await refused(
      {
        tamperSidecar: (sidecar) => {
          const dropped = (sidecar.entries as unknown as Array<{ size: number }>).pop()!;
          sidecar.totals.files -= 1;
          sidecar.totals.bytes -= dropped.size;
        },
      },
      ['RESTORE_MANIFEST_MISMATCH'],
      'drop',
    );
    await refused(
      {
        tamperSidecar: (sidecar) => {
          (sidecar.entries as unknown[]).push({
            type: 'file',
            path: 'config/ghost.json',
            size: 2,
            mtimeMs: 0,
            mode: 0o644,
            sha256: 'b'.repeat(64),
            category: 'irreplaceable',
          });
          sidecar.totals.files += 1;
          sidecar.totals.bytes += 2;
        },
      },
      ['RESTORE_MANIFEST_MISMATCH'],
      'extra',
    );
    await refused(
      {
        tamperInnerManifest: (manifest) => {
          (manifest.entries[0] as { sha256: string }).sha256 = 'c'.repeat(64);
        },
      },
      ['RESTORE_MANIFEST_MISMATCH'],
      'inner',
    );
    await refused(
      {
        tamperSidecar: (sidecar) => {
          sidecar.totals.bytes += 1;
        },
      },
      ['RESTORE_MANIFEST_MISMATCH'],
      'totals',
    );
  });

  it('refuses an archive not made by Tend', async () => {
    await refused(
      {
        tamperSidecar: (sidecar) => {
          (sidecar as { format: string }).format = 'something-else';
        },
      },
      ['RESTORE_NOT_TEND_ARCHIVE'],
      'format',
    );
    // A plain tar.gz with neither sidecar nor manifest: import checks it and says so.
    fixture = await restoreFixture();
    const plainDir = path.join(fixture.base, 'plain');
    const built = buildArchive(plainDir, {
      files: honestFiles,
      noSidecar: true,
      noInnerManifest: true,
    });
    const job = await fixture.engine.call('restore:import', { file: built.archivePath });
    const finished = await fixture.engine.requireSession().jobs.wait(job.id);
    expect(finished.error?.code).toBe('RESTORE_NOT_TEND_ARCHIVE');
    expect(await fixture.attempt(built.archivePath)).toBe('RESTORE_QUICK_CHECK_FAILED');
  });

  it('refuses a manifest version from the future', () =>
    refused(
      {
        tamperSidecar: (sidecar) => {
          (sidecar as { formatVersion: number }).formatVersion = 2;
        },
      },
      ['RESTORE_FORMAT_NEWER'],
    ));

  it('encodes entries exactly as GNU tar lays them out (helper self-check)', () => {
    const block = encodeEntry(fileEntry('a.txt', 'hi'));
    expect(block.length).toBe(1024);
    expect(block.toString('ascii', 257, 262)).toBe('ustar');
  });
});

describe('the safety snapshot comes first', () => {
  it('changes nothing when the safety snapshot cannot be written', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const built = buildArchive(path.join(f.base, 'archives'), { files: honestFiles });
    // The destination is a file, so the backup service cannot write the pre-restore backup.
    const blocked = path.join(f.base, 'not-a-folder');
    fs.writeFileSync(blocked, 'x');
    // Settings refuses a file as the backup folder now; a hand-edited file still holds one.
    const settings = await f.engine.call('settings:get');
    await writeSettings(f.engine.requireSession().state.settings, {
      ...settings,
      backup: { ...settings.backup, destination: blocked },
    });
    const before = f.snapshot();
    expect(await f.attempt(built.archivePath)).toBe('RESTORE_SNAPSHOT_FAILED');
    expect(f.snapshot()).toEqual(before);
    expect(f.clean()).toBe(true);
  });
});

describe('a safety snapshot is only part of a root', () => {
  it('restoring one removes nothing it does not hold', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const built = buildArchive(path.join(f.base, 'snapshots'), {
      id: 'tend-20261101-030000-pre-restore',
      kind: 'pre-restore',
      files: [{ path: 'config/settings.json', content: '{"from":"snapshot"}\n' }],
    });
    expect(await f.attempt(built.archivePath)).toBeNull();
    expect(fs.readFileSync(path.join(f.root, 'config/settings.json'), 'utf8')).toBe(
      '{"from":"snapshot"}\n',
    );
    expect(
      fs.existsSync(path.join(f.root, 'local_data/internal_assistant/documents/c1/b.md')),
    ).toBe(true);
  });
});
