import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planPrune } from '../../../../src-main/engine/repository/prune-plan';
import {
  forgetSnapshots,
  pruneRepository,
} from '../../../../src-main/engine/repository/repository-prune';
import { verifyRepository } from '../../../../src-main/engine/repository/repository-verify';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { exportSnapshotTar } from '../../../../src-main/engine/repository/snapshot-export';
import { listSnapshots } from '../../../../src-main/engine/repository/snapshot-reader';
import type { PackedBlob } from '../../../../src-main/engine/repository/pack-format';
import { tempDir, writeFile } from '../../../support/temp-dir';
import {
  digestTree,
  hasRestic,
  newRepository,
  noise,
  restic,
  writeSampleTree,
} from './repository-fixtures';

const blob = (id: string, length: number): PackedBlob => ({
  id: id.repeat(64),
  type: 'data',
  offset: 0,
  length,
  uncompressedLength: 0,
});

describe('planPrune', () => {
  it.each([
    {
      name: 'all used: keep',
      used: ['a', 'b'],
      expected: { keep: ['p1'], repack: [], remove: [] },
    },
    { name: 'none used: delete', used: [], expected: { keep: [], repack: [], remove: ['p1'] } },
    {
      name: 'half unused: repack',
      used: ['a'],
      expected: { keep: [], repack: ['p1'], remove: [] },
    },
  ])('$name', ({ used, expected }) => {
    const packs = new Map([['p1', [blob('a', 100), blob('b', 100)]]]);
    const plan = planPrune(packs, new Set(used.map((id) => `data:${id.repeat(64)}`)), 0.05);
    expect({ keep: plan.keep, repack: plan.repack, remove: plan.remove }).toEqual(expected);
  });

  it('counts a blob held twice once: the second copy makes its pack removable', () => {
    const packs = new Map([
      ['p1', [blob('a', 100)]],
      ['p2', [blob('a', 100)]],
    ]);
    const plan = planPrune(packs, new Set([`data:${'a'.repeat(64)}`]), 0.05);
    expect(plan.keep).toEqual(['p1']);
    expect(plan.remove).toEqual(['p2']);
  });
});

describe('forget, prune and export', () => {
  it('forgets by keep-list, prunes what no snapshot needs, and the rest still restores and checks', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    writeFile(path.join(root, 'old.bin'), noise(2 * 1024 * 1024, 3));
    const first = await backupSnapshot(repository, { root, packSize: 256 * 1024 });
    fs.rmSync(path.join(root, 'old.bin'));
    const second = await backupSnapshot(repository, { root, packSize: 256 * 1024 });
    const sizeOf = () =>
      fs
        .readdirSync(path.join(repoDir, 'data'))
        .flatMap((d) =>
          fs
            .readdirSync(path.join(repoDir, 'data', d))
            .map((f) => fs.statSync(path.join(repoDir, 'data', d, f)).size),
        )
        .reduce((a, b) => a + b, 0);
    const before = sizeOf();

    const forgot = await forgetSnapshots(repository, [second.snapshotId]);
    expect(forgot.removed).toEqual([first.snapshotId]);
    const pruned = await pruneRepository(repository);
    expect(pruned.unusedBytes).toBeGreaterThan(2 * 1024 * 1024);
    expect(sizeOf()).toBeLessThan(before - 2 * 1024 * 1024);
    expect((await listSnapshots(repository)).map((s) => s.id)).toEqual([second.snapshotId]);
    expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
    if (hasRestic) expect(restic(repoDir, ['check', '--read-data']).status).toBe(0);
  });

  it('exports a snapshot as a .tar.gz that GNU tar extracts to the same files', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const backup = await backupSnapshot(repository, { root });
    const archive = path.join(tempDir(), 'export.tar.gz');
    const result = await exportSnapshotTar(
      repository,
      backup.snapshotId,
      fs.createWriteStream(archive),
    );
    expect(result.files).toBe(6);
    const out = tempDir();
    const tar = spawnSync('tar', ['xzf', archive, '-C', out], { encoding: 'utf8' });
    expect(tar.stderr).toBe('');
    const restoredDb = digestTree(out);
    const db = 'local_data/internal_assistant/assistant.db';
    const skipDb = (rel: string) => rel === '.tend' || rel === db;
    expect(digestTree(out, skipDb)).toEqual(digestTree(root, skipDb));
    expect(restoredDb[db]).toMatch(/^[0-9a-f]{64}$/);
  });
});
