import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../../src-main/engine/catalog/catalog';
import { repositoryBackupRecords } from '../../../../src-main/engine/health/repository-verified';
import { tempDir } from '../../../support/temp-dir';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function job(
  catalog: Catalog,
  row: {
    id: string;
    kind: string;
    title: string;
    state: string;
    at: string;
    end: string;
    result?: unknown;
    error?: unknown;
  },
): void {
  catalog
    .prepare(
      `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at, started_at, finished_at, result, error)
       VALUES (?, ?, ?, ?, 0, 'host:1', '{}', ?, ?, ?, ?, ?)`,
    )
    .run(
      row.id,
      row.kind,
      row.title,
      row.state,
      row.at,
      row.at,
      row.end,
      row.result === undefined ? null : JSON.stringify(row.result),
      row.error === undefined ? null : JSON.stringify(row.error),
    );
}

const snapshotJob = (
  catalog: Catalog,
  id: string,
  snapshotId: string,
  at: string,
  title = 'Back up (critical, encrypted repository)',
) =>
  job(catalog, {
    id,
    kind: 'backup',
    title,
    state: 'succeeded',
    at,
    end: at.replace(':00.000Z', ':30.000Z'),
    result: { snapshotId, bytesTotal: 10, files: { new: 1, changed: 0, unchanged: 0 } },
  });

describe('the repository’s snapshots as the Health panel counts them', () => {
  it('takes each snapshot’s state from the newest full check that began after it', () => {
    const catalog = openCatalog(path.join(tempDir(), 'catalog.db'));
    snapshotJob(
      catalog,
      'b1',
      A,
      '2026-11-01T03:00:00.000Z',
      'Scheduled backup (full, encrypted repository)',
    );
    // A quick check reads no blob: it says nothing of the data.
    job(catalog, {
      id: 'v0',
      kind: 'verify',
      title: 'Verify the encrypted repository (quick)',
      state: 'succeeded',
      at: '2026-11-02T06:00:00.000Z',
      end: '2026-11-02T06:01:00.000Z',
      result: { mode: 'quick', ok: true, snapshots: 1, packs: 3, problems: [] },
    });
    expect(repositoryBackupRecords(catalog)).toMatchObject([
      { id: A, kind: 'full', verifyState: 'unverified', verifiedAt: null },
    ]);

    job(catalog, {
      id: 'v1',
      kind: 'verify',
      title: 'Verify the encrypted repository (full)',
      state: 'succeeded',
      at: '2026-11-15T06:00:00.000Z',
      end: '2026-11-15T06:20:00.000Z',
      result: { mode: 'full', ok: true, snapshots: 1, packs: 3, problems: [] },
    });
    snapshotJob(catalog, 'b2', B, '2026-11-20T03:00:00.000Z');
    expect(repositoryBackupRecords(catalog)).toMatchObject([
      { id: A, verifyState: 'verified', verifiedAt: '2026-11-15T06:20:00.000Z' },
      { id: B, kind: 'critical', verifyState: 'unverified' },
    ]);

    // The next full check finds A damaged: A failed, B (read whole) verified.
    job(catalog, {
      id: 'v2',
      kind: 'verify',
      title: 'Verify the encrypted repository (full)',
      state: 'failed',
      at: '2026-11-25T06:00:00.000Z',
      end: '2026-11-25T06:20:00.000Z',
      error: {
        code: 'BACKUP_CORRUPT',
        message: 'The encrypted repository is damaged',
        details: { damaged: [{ snapshotId: A, files: ['x'] }], problems: ['pack 1 is missing'] },
      },
    });
    expect(repositoryBackupRecords(catalog)).toMatchObject([
      { id: A, verifyState: 'failed', verifiedAt: null },
      { id: B, verifyState: 'verified', verifiedAt: '2026-11-25T06:20:00.000Z' },
    ]);

    // Forgotten by the thinning out: no longer a backup there is.
    job(catalog, {
      id: 'p1',
      kind: 'prune',
      title: 'Thin out old encrypted snapshots',
      state: 'succeeded',
      at: '2026-11-26T06:00:00.000Z',
      end: '2026-11-26T06:01:00.000Z',
      result: { removed: [A], kept: [B], packsRemoved: 1, packsRepacked: 0 },
    });
    expect(repositoryBackupRecords(catalog).map((record) => record.id)).toEqual([B]);
    catalog.close();
  });
});
