import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EarlyWriteback, SyncHelper } from '../../../../src-main/engine/fs/early-writeback';
import { tempDir } from '../../../support/temp-dir';

/** A sync that finishes when the test says so. */
function controlledSync() {
  const calls: string[] = [];
  const finish: Array<(ok: boolean) => void> = [];
  const fail: Array<(error: Error) => void> = [];
  const sync = (anchor: string) =>
    new Promise<boolean>((resolve, reject) => {
      calls.push(anchor);
      finish.push(resolve);
      fail.push(reject);
    });
  return { calls, finish, fail, sync };
}

describe('EarlyWriteback', () => {
  it('starts a background sync of the batch every so many bytes, never two at once', async () => {
    const { calls, finish, sync } = controlledSync();
    const writeback = new EarlyWriteback('/staging', 100, sync);
    writeback.wrote(60);
    expect(calls).toEqual([]);
    writeback.wrote(40);
    expect(calls).toEqual(['/staging']);
    // While that one runs, more bytes start nothing.
    writeback.wrote(500);
    expect(calls).toHaveLength(1);
    finish[0]!(true);
    await writeback.settle();
    // Those bytes piled up meanwhile: the next write starts the next sync.
    writeback.wrote(1);
    expect(calls).toHaveLength(2);
    finish[1]!(true);
    await writeback.settle();
    writeback.wrote(99);
    expect(calls).toHaveLength(2);
    writeback.wrote(1);
    expect(calls).toHaveLength(3);
    expect(writeback.started).toBe(3);
  });

  it('settle waits for the sync under way, and a failed one is not an error (the closing sync decides)', async () => {
    const { fail, sync } = controlledSync();
    const writeback = new EarlyWriteback('/staging', 10, sync);
    writeback.wrote(10);
    let settled = false;
    const settling = writeback.settle().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    fail[0]!(new Error('sync: unrecognized option --file-system'));
    await settling;
    expect(settled).toBe(true);
  });

  it('settles at once when nothing was started', async () => {
    const { calls, sync } = controlledSync();
    const writeback = new EarlyWriteback('/staging', 10, sync);
    writeback.wrote(9);
    await writeback.settle();
    expect(calls).toEqual([]);
  });
});

describe.runIf(process.platform === 'linux')('SyncHelper', () => {
  it('syncs the filesystem again and again through one process, each answer in turn', async () => {
    const helper = new SyncHelper(tempDir('tend-sync-helper-'));
    const pid = helper.pid;
    expect(pid).toBeGreaterThan(0);
    expect(await helper.sync()).toBe(true);
    expect(await Promise.all([helper.sync(), helper.sync(), helper.sync()])).toEqual([
      true,
      true,
      true,
    ]);
    // No new process per sync: a fork of a large Node costs every page it writes next.
    expect(helper.pid).toBe(pid);
    helper.close();
    expect(await helper.sync()).toBe(false);
  });

  it('says false where the sync fails, and the closing sync decides', async () => {
    const helper = new SyncHelper(path.join(tempDir('tend-sync-helper-'), 'not-there'));
    expect(await helper.sync()).toBe(false);
    helper.close();
  });

  it('background syncs go through the helper by default', async () => {
    const writeback = new EarlyWriteback(tempDir('tend-sync-helper-'), 10);
    writeback.wrote(10);
    await writeback.settle();
    writeback.wrote(10);
    await writeback.settle();
    expect(writeback.started).toBe(2);
    writeback.close();
  });
});
