import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { tempDir } from '../../../support/temp-dir';
import { newRepository } from './repository-fixtures';

afterEach(() => {
  vi.useRealTimers();
});

describe('a repository backup reports progress', () => {
  it('at most every 100 ms, however many new files it stores', async () => {
    const root = tempDir();
    for (let i = 0; i < 50; i++) {
      fs.mkdirSync(path.join(root, `folder-${i % 5}`), { recursive: true });
      fs.writeFileSync(path.join(root, `folder-${i % 5}`, `file-${i}.txt`), `file ${i}\n`);
    }
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const reports: number[] = [];
    // The clock stands still: every report past the first would be one forced per file.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T04:00:00Z'));
    const result = await backupSnapshot(repository, {
      root,
      stagingDir: tempDir(),
      onProgress: (progress) => reports.push(progress.filesDone),
    });
    expect(result.files.new).toBe(50);
    expect(reports).toHaveLength(1);
  });
});
