import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../../../src-main/engine/repository/local-backend';
import { Repository } from '../../../../src-main/engine/repository/repository';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { listSnapshots } from '../../../../src-main/engine/repository/snapshot-reader';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import { tempDir, writeFile } from '../../../support/temp-dir';
import {
  digestTree,
  FAST_KDF,
  hasRestic,
  newRepository,
  PASSWORD,
  restic,
  tableRows,
  writeSampleTree,
} from './repository-fixtures';

// Debian's restic (0.14 here) is the independent verifier; without it these tests cannot prove
// compatibility, so they say so and skip.
describe.skipIf(!hasRestic)(
  'restic reads what Tend writes, and Tend reads what restic writes',
  () => {
    it('passes `restic check --read-data`, and restic restores the same bytes as Tend', async () => {
      const root = tempDir();
      const repoDir = path.join(tempDir(), 'repo');
      writeSampleTree(root);
      const repository = await newRepository(repoDir);
      const first = await backupSnapshot(repository, { root, tags: ['kind:critical'] });
      expect(first.files.new).toBe(6);
      expect(first.skipped).toEqual([]);

      const check = restic(repoDir, ['check', '--read-data']);
      expect(check.stderr + check.stdout).toContain('no errors were found');
      expect(check.status).toBe(0);

      const ours = tempDir();
      await restoreSnapshot(repository, first.snapshotId, { target: path.join(ours, 'out') });
      const theirs = tempDir();
      const restored = restic(repoDir, ['restore', first.snapshotId, '--target', theirs]);
      expect(restored.status).toBe(0);
      // Byte for byte, restic's restore equals Tend's; both equal the source but for the
      // database, which is an online-backup copy: same rows, not the same bytes.
      const db = 'local_data/internal_assistant/assistant.db';
      expect(digestTree(theirs)).toEqual(digestTree(path.join(ours, 'out')));
      const withoutDb = (digest: Record<string, string>) => {
        delete digest[db];
        return digest;
      };
      expect(withoutDb(digestTree(theirs))).toEqual(withoutDb(digestTree(root)));
      expect(tableRows(path.join(theirs, db), 'notes')).toEqual(
        tableRows(path.join(root, db), 'notes'),
      );

      const listed = restic(repoDir, ['snapshots', '--json']);
      const snapshots = JSON.parse(listed.stdout) as Array<{
        id: string;
        tags: string[];
        paths: string[];
      }>;
      expect(snapshots).toEqual([
        expect.objectContaining({
          id: first.snapshotId,
          tags: ['tend', 'kind:critical'],
          paths: [root],
        }),
      ]);
    });

    it('reads a repository restic made: lists its snapshots and restores one and a single file', async () => {
      const source = tempDir();
      const repoDir = path.join(tempDir(), 'restic-repo');
      writeSampleTree(source);
      fs.rmSync(path.join(source, '.tend'), { recursive: true });
      expect(restic(repoDir, ['init']).status).toBe(0);
      expect(restic(repoDir, ['backup', '.', '--tag', 'theirs'], { cwd: source }).status).toBe(0);
      writeFile(path.join(source, 'later.txt'), 'second snapshot\n');
      expect(restic(repoDir, ['backup', '.'], { cwd: source }).status).toBe(0);

      const repository = await Repository.open(new LocalBackend(repoDir), PASSWORD);
      const snapshots = await listSnapshots(repository);
      expect(snapshots).toHaveLength(2);
      expect(snapshots[1]!.tags).toEqual(['theirs']);

      const whole = path.join(tempDir(), 'whole');
      await restoreSnapshot(repository, 'latest', { target: whole });
      expect(digestTree(whole)).toEqual(digestTree(source));

      const single = path.join(tempDir(), 'single');
      const result = await restoreSnapshot(repository, snapshots[0]!.id, {
        target: single,
        path: 'config/settings.json',
      });
      expect(result.files).toBe(1);
      expect(fs.readFileSync(path.join(single, 'config/settings.json'), 'utf8')).toContain(
        'PLAINTEXT-CANARY',
      );
      const packs = (await repository.backend.list('data')).length;
      expect(result.packsRead).toBeLessThan(packs);
    });

    it('opens with every key, and a second key added by Tend opens in restic too', async () => {
      const repoDir = path.join(tempDir(), 'repo');
      const repository = await newRepository(repoDir);
      const second = await repository.addKey('another passphrase', FAST_KDF);
      expect(restic(repoDir, ['snapshots'], { password: 'another passphrase' }).status).toBe(0);
      expect((await repository.listKeys()).map((key) => key.current).sort()).toEqual([false, true]);
      await repository.removeKey(second);
      expect(restic(repoDir, ['snapshots'], { password: 'another passphrase' }).status).not.toBe(0);
    });

    it('stores no plaintext: names, paths and contents are not in the repository’s bytes', async () => {
      const root = tempDir();
      const repoDir = path.join(tempDir(), 'repo');
      writeSampleTree(root);
      const repository = await newRepository(repoDir);
      await backupSnapshot(repository, { root });
      const markers = [
        'PLAINTEXT-CANARY-7731',
        'settings.json',
        'assistant.db',
        'quoted',
        'note 1999',
        root,
      ];
      const walk = (dir: string): string[] =>
        fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((entry) =>
            entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
          );
      for (const file of walk(repoDir)) {
        const bytes = fs.readFileSync(file);
        for (const marker of markers)
          expect(bytes.includes(Buffer.from(marker)), `${marker} in ${file}`).toBe(false);
      }
    });
  },
);
