/**
 * Issue 17, "done when": a backup and restore round trip over a root holding links (inside
 * and outside), a FIFO, an unreadable file and folder, a backslash name, a name that is not
 * UTF-8 and a path near the system's limit leaves the live folder exactly as it was.
 *
 * Run through the real `tend` command. chmod 000 does not stop root, so when the tests run as
 * root the commands run as the unprivileged user `nobody` (uid 65534) over a tree it owns:
 * then the unreadable file and folder really are unreadable to Tend.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import type { RestoreReport } from '../../../../src-shared/models/restore';
import { readLink, removeTree } from '../../../../src-main/engine/fs/sys-fs';
import { tempDir } from '../../../support/temp-dir';
import {
  exactFingerprint,
  LATIN1_RESUME,
  makeFifo,
  pathOfLength,
  readExact,
  writeExact,
} from './support/exact-tree';

const repo = path.resolve(__dirname, '../../../..');
const tendBin = path.join(repo, 'bin/tend.mjs');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const docs = 'local_data/internal_assistant/documents';

/** Runs `tend` as the unprivileged user when the tests run as root. */
function tend(base: string, args: ReadonlyArray<string>) {
  const run = spawnSync(process.execPath, [tendBin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TEND_STATE_DIR: path.join(base, 'state'), HOME: base },
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    timeout: 120_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function giveToNobody(base: string): void {
  if (asRoot) execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, base]);
}

describe('a round trip over every edge at once', () => {
  it('leaves the live folder exactly as it was, and puts back what changed', async () => {
    const base = tempDir('tend-round-trip-');
    fs.chmodSync(base, 0o755);
    const root = path.join(base, 'root');
    const dest = path.join(base, 'dest');
    giveToNobody(base);
    expect(tend(base, ['init', root]).code).toBe(0);

    const near = pathOfLength(root, `${docs}/deep`, 4090);
    const files: Record<string, string> = {
      'config/settings.json': '{"model":"mini"}\n',
      [`${docs}/c1/a.md`]: '# A\n',
      'config/Q1\\Q2 plan.txt': 'quarterly plan\n',
      [`${docs}/c1/C:notes.md`]: '# drive-like name\n',
      [`${docs}/c1/${LATIN1_RESUME}`]: 'curriculum vitae\n',
      [near]: 'near the limit\n',
      [`${docs}/c1/locked.md`]: 'nobody may read this\n',
      [`${docs}/shut/inside.md`]: 'in a folder nobody may list\n',
    };
    for (const [relative, content] of Object.entries(files)) {
      writeExact(path.join(root, relative), content);
    }
    fs.symlinkSync('a.md', path.join(root, docs, 'c1/latest.md'));
    fs.symlinkSync('/etc/hostname', path.join(root, 'config/host-name'));
    makeFifo(path.join(root, docs, 'c1/pipe'));
    giveToNobody(base);
    fs.chmodSync(path.join(root, docs, 'c1/locked.md'), 0o000);
    fs.chmodSync(path.join(root, docs, 'shut'), 0o000);
    try {
      expect(
        tend(base, ['settings', 'set', '--root', root, `backup.destination="${dest}"`]).code,
      ).toBe(0);
      expect(
        tend(base, ['settings', 'set', '--root', root, 'backup.unreadableFiles="warn"']).code,
      ).toBe(0);

      const made = tend(base, ['backup', 'create', '--root', root, '--kind', 'full', '--json']);
      expect(made.code, made.stderr).toBe(0);
      const record = JSON.parse(made.stdout) as BackupRecord;
      const warned = record.warnings.map((warning) => warning.path).sort();
      expect(warned).toEqual(
        ['config/host-name', `${docs}/c1/locked.md`, `${docs}/c1/pipe`, `${docs}/shut`].sort(),
      );

      // Onto the same data: nothing changes, not one inode.
      const before = exactFingerprint(root, { inodes: true });
      const same = tend(base, ['restore', 'apply', record.id, '--yes', '--root', root, '--json']);
      expect(same.code, same.stderr).toBe(0);
      const report = JSON.parse(same.stdout) as RestoreReport;
      expect(report.totals).toMatchObject({ added: 0, replaced: 0, removed: 0 });
      expect(report.kept.entries.map((item) => item.path)).toEqual([
        `${docs}/c1/locked.md`,
        `${docs}/c1/pipe`,
        `${docs}/shut`,
      ]);
      expect(exactFingerprint(root, { inodes: true })).toEqual(before);

      // Changed since: every edge the backup holds is lost or altered; a restore puts it back.
      const asBefore = exactFingerprint(root);
      for (const relative of ['config/Q1\\Q2 plan.txt', `${docs}/c1/${LATIN1_RESUME}`, near]) {
        removeTree(path.join(root, relative));
      }
      fs.rmSync(path.join(root, docs, 'c1/latest.md'));
      fs.symlinkSync('C:notes.md', path.join(root, docs, 'c1/latest.md'));
      fs.writeFileSync(path.join(root, docs, 'c1/C:notes.md'), 'edited\n');
      giveToNobody(path.join(root, docs, 'c1'));
      const back = tend(base, ['restore', 'apply', record.id, '--yes', '--root', root, '--json']);
      expect(back.code, back.stderr).toBe(0);
      expect((JSON.parse(back.stdout) as RestoreReport).totals).toMatchObject({
        added: 3,
        replaced: 2,
        removed: 0,
      });
      expect(exactFingerprint(root)).toEqual(asBefore);
      expect(readLink(path.join(root, docs, 'c1/latest.md'))).toBe('a.md');
      expect(readExact(path.join(root, near)).toString()).toBe('near the limit\n');
    } finally {
      fs.chmodSync(path.join(root, docs, 'shut'), 0o755);
      fs.chmodSync(path.join(root, docs, 'c1/locked.md'), 0o644);
    }
  }, 300_000);
});
