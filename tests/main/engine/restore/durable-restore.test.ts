/**
 * Restored files are on the disk before the swap: the staging filesystem is synced in one
 * batch (`sync --file-system`, seen through child_process.execFile) once every restored file is
 * written there and before any is put in place; where that fails, every file the restore wrote
 * into staging is fsynced there (seen through `fs.fsyncSync`, the call fs/durable.ts makes),
 * and so are the staging folders that hold their names.
 */
import childProcess, { type ChildProcess } from 'node:child_process';
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

/** A restore fixture with a backup of four files, and those files removed from the live root. */
async function restoredFour(): Promise<{ f: RestoreFixture; backupId: string; gone: string[] }> {
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
  return { f, backupId: record.id, gone };
}

type ExecFileCallback = (error: Error | null, stdout: string, stderr: string) => void;

/** Replaces `sync --file-system` (the batch) with `run`; other commands run as they would. */
function onSyncFs(run: (anchor: string, done: ExecFileCallback) => void): string[] {
  const anchors: string[] = [];
  const real = childProcess.execFile;
  vi.spyOn(childProcess, 'execFile').mockImplementation(((...args: unknown[]) => {
    const [file, argv, callback] = args as [string, string[], ExecFileCallback];
    if (file === 'sync' && argv[0] === '--file-system') {
      anchors.push(argv[1]!);
      run(argv[1]!, callback);
      return {} as ChildProcess;
    }
    return (real as (...a: unknown[]) => ChildProcess)(...args);
  }) as typeof childProcess.execFile);
  return anchors;
}

describe('a restore', () => {
  it('syncs the staging filesystem in one batch, with every restored file in staging, before the swap', async () => {
    const { f, backupId, gone } = await restoredFour();
    const seenAtSync: Array<{ staged: boolean; live: boolean }> = [];
    const anchors = onSyncFs((anchor, done) => {
      for (const relative of gone) {
        seenAtSync.push({
          staged: fs.existsSync(path.join(anchor, relative)),
          live: fs.existsSync(path.join(f.root, relative)),
        });
      }
      done(null, '', '');
    });
    expect(await f.attempt(backupId)).toBeNull();
    expect(anchors).toHaveLength(1);
    expect(anchors[0]).toMatch(/tend-staging-.*\/new$/);
    // At the sync, every file was written in staging and none was in place yet.
    expect(seenAtSync).toEqual(gone.map(() => ({ staged: true, live: false })));
    for (const relative of gone) expect(fs.existsSync(path.join(f.root, relative))).toBe(true);
  });

  it('fsyncs every restored file and its staging folders one by one where the batch fails', async () => {
    const { f, backupId, gone } = await restoredFour();
    onSyncFs((_, done) => done(new Error('sync: unrecognized option'), '', ''));
    const synced = watchFsyncs();
    expect(await f.attempt(backupId)).toBeNull();
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
