import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { TreeReader } from '../../../../src-main/engine/repository/snapshot-reader';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import { deviceNumbers } from '../../../../src-main/engine/repository/special-nodes';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { hasRestic, newRepository, restic } from './repository-fixtures';

describe('device numbers', () => {
  it.each([
    ['/dev/null', 0x103n, 1n, 3n],
    ['an NVMe partition', 0x10301n, 259n, 1n],
    ['a large minor', 0x12345678n, 0x456n, 0x12378n],
  ])('%s: rdev %s is major %s, minor %s', (_, rdev, major, minor) => {
    expect(deviceNumbers(rdev)).toEqual({ major, minor });
  });
});

const isRoot = process.getuid?.() === 0;

describe('FIFOs, sockets and device nodes', () => {
  it('are recorded as restic nodes of their type; a FIFO and (as root) a device come back, a socket is reported', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'notes.txt'), 'data\n');
    expect(spawnSync('mkfifo', ['-m', '640', path.join(root, 'pipe')]).status).toBe(0);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(root, 'app.sock'), resolve));
    // A character device like /dev/null (only root may make one; some containers refuse even root).
    const device =
      isRoot &&
      spawnSync('mknod', ['-m', '600', path.join(root, 'null'), 'c', '1', '3']).status === 0;

    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    const backup = await backupSnapshot(repository, { root });
    server.close();
    expect(backup.specials).toBe(device ? 3 : 2);
    expect(backup.skipped).toEqual([]);

    const trees = new TreeReader(repository, await repository.loadIndex());
    const snapshotTree = (await trees.read(backup.tree)).map((node) => [node.name, node.type]);
    expect(snapshotTree).toEqual(
      expect.arrayContaining([
        ['pipe', 'fifo'],
        ['app.sock', 'socket'],
        ...(device ? [['null', 'chardev']] : []),
      ]),
    );

    const out = path.join(tempDir(), 'out');
    const restored = await restoreSnapshot(repository, backup.snapshotId, { target: out });
    const pipe = fs.lstatSync(path.join(out, 'pipe'));
    expect(pipe.isFIFO()).toBe(true);
    expect(pipe.mode & 0o777).toBe(0o640);
    expect(fs.existsSync(path.join(out, 'app.sock'))).toBe(false);
    expect(restored.skipped).toEqual([
      { path: 'app.sock', reason: expect.stringContaining('socket') },
    ]);
    if (device) {
      const made = fs.lstatSync(path.join(out, 'null'), { bigint: true });
      expect(made.isCharacterDevice()).toBe(true);
      expect(made.rdev).toBe(fs.lstatSync(path.join(root, 'null'), { bigint: true }).rdev);
    }
    expect(restored.specials).toBe(device ? 2 : 1);

    if (!hasRestic) return; // said in restic-interop.test.ts
    const check = restic(repoDir, ['check', '--read-data']);
    expect(check.stdout + check.stderr).toContain('no errors were found');
    const listing = restic(repoDir, ['ls', '-l', 'latest']).stdout;
    expect(listing).toMatch(/^prw-r-----.* \/pipe$/m);
    // Go's FileMode letters: p a named pipe, S a socket, D c a character device.
    expect(listing).toMatch(/^Srwx.* \/app\.sock$/m);
    if (device) expect(listing).toMatch(/^Dcrw-------.* \/null$/m);
    const theirs = path.join(tempDir(), 'theirs');
    expect(restic(repoDir, ['restore', 'latest', '--target', theirs]).status).toBe(0);
    expect(fs.lstatSync(path.join(theirs, 'pipe')).isFIFO()).toBe(true);
  });
});
