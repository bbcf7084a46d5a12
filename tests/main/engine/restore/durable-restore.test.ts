/**
 * Restored files are on the disk before the swap: every file the restore writes into its
 * staging folder is fsynced there (seen through `fs.fsyncSync`, the one call fs/durable.ts
 * makes for a descriptor), and so are the staging folders that hold their names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import { restoreFixture, waitJob, type RestoreFixture } from './support/restore-fixture';

let fixture: RestoreFixture | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await fixture?.engine.close();
  fixture = null;
});

/** Records the path each fsynced descriptor was open on, at the moment of the fsync. */
function watchFsyncs(): string[] {
  const synced: string[] = [];
  const real = fs.fsyncSync;
  vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
    synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
    real(fd);
  });
  return synced;
}

describe('a restore', () => {
  it('fsyncs every restored file and its staging folders before putting them in place', async () => {
    fixture = await restoreFixture({
      'config/settings.json': '{"live":true}\n',
      'local_data/internal_assistant/documents/c1/a.md': '# A\n',
      'local_data/internal_assistant/documents/c1/b.md': '# B\n',
      'local_data/internal_assistant/documents/c2/deep/c.md': '# C\n',
      'local_data/models/custom/notes.txt': 'custom model notes\n',
    });
    const f = fixture;
    const job = await f.engine.call('backups:create', { kind: 'critical' });
    const done = await waitJob(f.engine, job);
    expect(done.error).toBeNull();
    const record = done.result as BackupRecord;
    const gone = [
      'config/settings.json',
      'local_data/internal_assistant/documents/c1/a.md',
      'local_data/internal_assistant/documents/c1/b.md',
      'local_data/internal_assistant/documents/c2/deep/c.md',
    ];
    fs.rmSync(path.join(f.root, 'config'), { recursive: true });
    fs.rmSync(path.join(f.root, 'local_data/internal_assistant/documents'), { recursive: true });

    const synced = watchFsyncs();
    expect(await f.attempt(record.id)).toBeNull();
    for (const relative of gone) expect(fs.existsSync(path.join(f.root, relative))).toBe(true);

    // Each restored file was fsynced where the extract wrote it: in staging, before the swap.
    const staged = (relative: string) =>
      synced.find((at) => at.includes('tend-staging-') && at.endsWith(`/new/${relative}`));
    for (const relative of gone) expect(staged(relative), relative).toBeDefined();
    const staging = path.dirname(staged(gone[0]!)!.slice(0, -`/${gone[0]}`.length));
    for (const folder of [
      'new',
      'new/config',
      'new/local_data/internal_assistant/documents/c1',
      'new/local_data/internal_assistant/documents/c2/deep',
    ]) {
      expect(synced, folder).toContain(path.join(staging, folder));
    }
  });
});
