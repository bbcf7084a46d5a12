import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDestination } from '../../../../src-main/engine/repository/destination-check';
import { LocalBackend } from '../../../../src-main/engine/repository/local-backend';
import { judgeHostKey } from '../../../../src-main/engine/repository/sftp-host-key';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import { tempDir } from '../../../support/temp-dir';
import { newRepository, tableRows, writeSampleTree } from './repository-fixtures';

describe('host keys pinned on first use', () => {
  it.each([
    [null, 'SHA256:abc', 'pin'],
    ['', 'SHA256:abc', 'pin'],
    ['SHA256:abc', 'SHA256:abc', 'match'],
    [' SHA256:abc\n', 'SHA256:abc', 'match'],
    ['SHA256:abc', 'SHA256:xyz', 'changed'],
  ])('pinned %j, presented %s → %s', (pinned, seen, verdict) => {
    expect(judgeHostKey(pinned, seen)).toBe(verdict);
  });
});

describe('destination test on a local folder', () => {
  it('reports each step and leaves nothing behind', async () => {
    const folder = path.join(tempDir(), 'disk', 'tend');
    const steps: string[] = [];
    const result = await checkDestination(new LocalBackend(folder), {
      onStep: (step) => steps.push(`${step.step}:${step.status}`),
    });
    expect(steps).toEqual([
      'reach:passed',
      'write:passed',
      'read-back:passed',
      'delete:passed',
      'free-space:passed',
    ]);
    expect(result.ok).toBe(true);
    expect(result.freeBytes).toBeGreaterThan(0);
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('a folder that cannot exist fails at reach and says why; the rest is skipped', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const result = await checkDestination(new LocalBackend(path.join(file, 'tend')));
    expect(result.ok).toBe(false);
    expect(result.steps[0]).toMatchObject({
      step: 'reach',
      status: 'failed',
      code: 'DESTINATION_UNAVAILABLE',
    });
    expect(result.steps[0]!.detail).toMatch(/ENOTDIR/);
    expect(result.steps.slice(1).map((step) => step.status)).toEqual(Array(4).fill('skipped'));
  });
});

describe('databases too large for an in-memory image', () => {
  it('go through a staged copy (SQLite’s online backup) and restore the same rows', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const staging = tempDir();
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const backup = await backupSnapshot(repository, {
      root,
      stagingDir: staging,
      databaseImageLimit: 0,
    });
    expect(backup.files.new).toBeGreaterThan(0);
    // The staged copy is gone again.
    expect(fs.readdirSync(staging)).toEqual([]);
    const out = path.join(tempDir(), 'out');
    await restoreSnapshot(repository, backup.snapshotId, { target: out });
    const db = 'local_data/internal_assistant/assistant.db';
    expect(tableRows(path.join(out, db), 'notes')).toEqual(tableRows(path.join(root, db), 'notes'));
  });
});
