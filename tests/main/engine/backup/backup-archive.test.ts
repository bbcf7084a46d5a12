import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BackupManifestSchema,
  BackupSidecarSchema,
  MANIFEST_ENTRY,
} from '../../../../src-shared/models/backup-manifest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import { backupServiceFor } from '../../../../src-main/engine/backup/backup-service';
import { verifyArchive } from '../../../../src-main/engine/backup/backup-verify';
import { tempDir } from '../../../support/temp-dir';
import { buildArchive } from '../restore/support/archive-builder';
import { ASSISTANT_SCHEMA_VERSION } from '../../../../src-main/engine/store/assistant-db';
import { backupFixture, gnuExtract } from './backup-fixture';

async function backUp(engine: Awaited<ReturnType<typeof backupFixture>>['engine'], kind = 'full') {
  const job = await engine.call('backups:create', { kind });
  const finished = await engine.requireSession().jobs.wait(job.id);
  if (finished.state !== 'succeeded') throw new Error(JSON.stringify(finished.error));
  return finished.result as BackupRecord;
}

describe('backup archive', () => {
  it('writes an archive GNU tar extracts, whose files match the manifest with sha256sum', async () => {
    const { engine, destination, files, base } = await backupFixture();
    const record = await backUp(engine, 'full');
    expect(record).toMatchObject({ state: 'completed', kind: 'full', verifyState: 'unverified' });
    expect(record.fileName).toMatch(/^tend-\d{8}-\d{6}-full\.tar\.gz$/);
    expect(fs.readdirSync(destination).sort()).toEqual(
      [record.fileName, `${record.id}.manifest.json`].sort(),
    );

    const out = gnuExtract(path.join(destination, record.fileName), path.join(base, 'out'));
    const manifest = BackupManifestSchema.parse(
      JSON.parse(fs.readFileSync(path.join(out, MANIFEST_ENTRY), 'utf8')),
    );
    const sums = manifest.entries
      .filter((entry) => entry.type === 'file')
      .map((entry) => `${entry.sha256}  ${entry.path}\n`)
      .join('');
    fs.writeFileSync(path.join(base, 'sums'), sums);
    // sha256sum -c exits non-zero on any mismatch or missing file.
    execFileSync('sha256sum', ['-c', '--quiet', path.join(base, 'sums')], { cwd: out });

    const listing = execFileSync('tar', ['tzf', path.join(destination, record.fileName)])
      .toString()
      .trim()
      .split('\n');
    expect(listing.at(-1)).toBe(MANIFEST_ENTRY);
    const paths = manifest.entries.map((entry) => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining([files.db, files.document, files.index, files.model]),
    );
    // Disposable files, Tend's own folder, FIFOs and SQLite's companions stay out.
    for (const left of [files.log, files.cache, files.fifo]) expect(paths).not.toContain(left);
    expect(paths.some((p) => p.startsWith('.tend'))).toBe(false);
    expect(paths.some((p) => p.endsWith('-wal') || p.endsWith('-shm'))).toBe(false);
    expect(listing.filter((p) => p.startsWith('.tend'))).toEqual([MANIFEST_ENTRY]);
    // The symlink is stored as a link, not followed; the empty folder comes back.
    expect(manifest.entries.find((entry) => entry.path === files.link)).toMatchObject({
      type: 'symlink',
      target: 'settings.yaml',
    });
    expect(fs.readlinkSync(path.join(out, files.link))).toBe('settings.yaml');
    expect(fs.statSync(path.join(out, files.emptyFolder)).isDirectory()).toBe(true);
    expect(manifest.assistantSchemaVersion).toBe(ASSISTANT_SCHEMA_VERSION);
    expect(manifest.totals.files).toBe(record.files);

    // The sidecar is the manifest plus the archive's size and hash.
    const sidecar = BackupSidecarSchema.parse(
      JSON.parse(fs.readFileSync(path.join(destination, `${record.id}.manifest.json`), 'utf8')),
    );
    const bytes = fs.readFileSync(path.join(destination, record.fileName));
    expect(sidecar.archive.bytes).toBe(bytes.length);
    expect(sidecar.archive.sha256).toBe(
      execFileSync('sha256sum', [path.join(destination, record.fileName)])
        .toString()
        .slice(0, 64),
    );
    expect(JSON.stringify({ ...sidecar, archive: undefined })).toEqual(
      JSON.stringify({ ...manifest, archive: undefined }),
    );
    await engine.close();
  });

  it('leaves models out of a critical backup', async () => {
    const { engine, files } = await backupFixture();
    const record = await backUp(engine, 'critical');
    const service = backupServiceFor(engine.requireSession(), engine);
    const sidecar = BackupSidecarSchema.parse(
      JSON.parse(fs.readFileSync(service.sidecarPath(record), 'utf8')),
    );
    const paths = sidecar.entries.map((entry) => entry.path);
    expect(sidecar.categories).toEqual(['irreplaceable', 'rebuildable']);
    expect(paths).toContain(files.index);
    expect(paths).not.toContain(files.model);
    await engine.close();
  });

  it('verifies fully and quickly, and finds a damaged archive', async () => {
    const { engine } = await backupFixture();
    const record = await backUp(engine, 'full');
    const session = engine.requireSession();
    const full = await session.jobs.wait(
      (await engine.call('backups:verify', { id: record.id })).id,
    );
    expect(full.state).toBe('succeeded');
    expect((await engine.call('backups:list')).backups[0]).toMatchObject({
      id: record.id,
      verifyState: 'verified',
    });

    // One flipped byte in the middle of the compressed data.
    const file = path.join(record.destination, record.fileName);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    for (const depth of ['quick', 'full'] as const) {
      const job = await session.jobs.wait(
        (await engine.call('backups:verify', { id: record.fileName, depth })).id,
      );
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('BACKUP_CORRUPT');
    }
    expect((await engine.call('backups:list')).backups[0]?.verifyState).toBe('failed');
    await engine.close();
  });

  it('finds a file whose bytes differ from the manifest even when the archive hash was redone', async () => {
    const { engine, base } = await backupFixture();
    const record = await backUp(engine, 'critical');
    const service = backupServiceFor(engine.requireSession(), engine);
    // Rewrite the archive with GNU tar from a tampered extraction, then fix the sidecar's
    // archive size and hash so only the per-file check can tell.
    const out = gnuExtract(service.archivePath(record), path.join(base, 'tamper'));
    fs.appendFileSync(path.join(out, 'config/settings.yaml'), 'evil: true\n');
    fs.writeFileSync(path.join(out, 'extra.txt'), 'not in the manifest');
    const rebuilt = path.join(base, 'rebuilt.tar.gz');
    const names = execFileSync('tar', ['tzf', service.archivePath(record)])
      .toString()
      .trim()
      .split('\n');
    execFileSync('tar', ['czf', rebuilt, '--no-recursion', '-C', out, 'extra.txt', ...names]);
    fs.copyFileSync(rebuilt, service.archivePath(record));
    const sidecarFile = service.sidecarPath(record);
    const sidecar = JSON.parse(fs.readFileSync(sidecarFile, 'utf8'));
    const content = fs.readFileSync(rebuilt);
    sidecar.archive.bytes = content.length;
    sidecar.archive.sha256 = execFileSync('sha256sum', [rebuilt]).toString().slice(0, 64);
    fs.writeFileSync(sidecarFile, JSON.stringify(sidecar));
    const report = await service.verify(
      { ...record, archiveSha256: null },
      'full',
      new AbortController().signal,
    );
    expect(report.ok).toBe(false);
    // The restore's own reader names every entry that does not match, in one pass.
    expect(report.problems).toEqual(
      expect.arrayContaining([
        'config/settings.yaml is 23 bytes in the archive but 12 in its manifest.',
        'The archive holds extra.txt, which its manifest does not list.',
      ]),
    );
    await engine.close();
  });

  it('runs the checks a restore runs: an archive a restore refuses never verifies', async () => {
    const base = tempDir();
    // A path that climbs out of the root, listed in the manifest and present in the archive:
    // hashes and sizes all match, yet a restore refuses it, so verify must too.
    const built = buildArchive(path.join(base, 'archives'), {
      files: [
        { path: 'config/settings.json', content: '{}' },
        { path: 'config/../../escape.txt', content: 'out' },
      ],
    });
    const report = await verifyArchive(
      {
        id: 'tend-20261101-030000-full',
        archivePath: built.archivePath,
        sidecarPath: built.sidecarPath,
        expectedSha256: null,
      },
      'full',
      new AbortController().signal,
    );
    expect(report.ok).toBe(false);
    expect(report.problems.join(' ')).toMatch(/unsafe path.*climbs out/);
  });

  it('reports progress with bytes, files, the current path, and cancels without leaving a file', async () => {
    const { engine, destination } = await backupFixture();
    const session = engine.requireSession();
    const first = await engine.call('backups:create', { kind: 'full' });
    const done = await session.jobs.wait(first.id);
    const record = done.result as BackupRecord;
    expect(done.progress).toMatchObject({
      filesDone: record.files,
      filesTotal: record.files,
      bytesTotal: expect.any(Number),
      currentPath: expect.any(String),
    });
    expect(done.progress.bytesDone).toBe(done.progress.bytesTotal);

    // Cancel once the backup is recorded and writing (backups:changed follows the insert).
    let target: string | null = null;
    const offCancel = engine.events.on('backups:changed', () => {
      if (target) {
        try {
          session.jobs.cancel(target);
        } catch {
          // Already ended.
        }
      }
    });
    const job = await engine.call('backups:create', { kind: 'full' });
    target = job.id;
    const ended = await session.jobs.wait(job.id);
    offCancel();
    expect(ended.state).toBe('cancelled');
    expect(fs.readdirSync(destination).sort()).toEqual(
      [record.fileName, `${record.id}.manifest.json`].sort(),
    );
    const history = (await engine.call('backups:list')).backups;
    expect(history.map((item) => item.state)).toEqual(['cancelled', 'completed']);
    expect(fs.readdirSync(session.state.backupTemp)).toEqual([]);
    await engine.close();
  });
});
