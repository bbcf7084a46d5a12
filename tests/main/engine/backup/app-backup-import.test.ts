/**
 * The memory system's own backups (seed 001, `backups/memory_backup_YYYYMMDD_HHMMSS.tar.gz`)
 * listed beside Tend's and imported into the history: a dry run that changes nothing, an
 * import that verifies and restores like any backup, and a second import that does nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupRecord, VerifyReport } from '../../../../src-shared/models/backups';
import { memoryBackupBase } from '../../../../src-main/engine/profiles/memory-system/own-backups';
import { appDemoPerTest, fingerprint, restore } from '../profiles/app-profiles-support';
import type { Engine } from '../../../../src-main/engine/engine';

describe('memoryBackupBase', () => {
  it.each<[string, string[], string]>([
    ['taken from the system’s folder', ['data/memories/a.json', 'data/indexes/t.json'], ''],
    ['taken with ./', ['./data/memories/a.json'], ''],
    ['taken inside data/', ['memories/a.json', 'embeddings/chroma.sqlite3'], 'data'],
    ['taken inside data/ with ./', ['./memories/a.json', './indexes/'], 'data'],
    ['something else beside', ['memories/a.json', 'config.json'], ''],
    ['empty', [], ''],
  ])('%s', (_what, paths, base) => {
    expect(memoryBackupBase(paths)).toBe(base);
  });
});

const memoryDemo = appDemoPerTest('memory-system');
const nativeDemo = appDemoPerTest('native');

async function importFile(engine: Engine, file: string): Promise<BackupRecord> {
  const answer = await engine.call('backups:app-import', { file, dryRun: false });
  const done = await engine.requireSession().jobs.wait(answer.job!.id);
  expect(done.error, JSON.stringify(done.error)).toBeNull();
  return done.result as BackupRecord;
}

describe('the app’s own backups', () => {
  it('lists them, dry-runs, imports once, verifies and restores', async () => {
    const { engine, root, backups } = await memoryDemo();
    const listed = await engine.call('backups:app-list');
    expect(listed.appName).toBe('the memory system');
    expect(listed.backups).toHaveLength(3);
    expect(listed.backups.every((item) => item.importedAs === null)).toBe(true);
    const newest = listed.backups[0]!;

    const dry = await engine.call('backups:app-import', { file: newest.file, dryRun: true });
    expect(dry.job).toBeNull();
    expect(dry.plan).toMatchObject({
      file: newest.file,
      takenAt: newest.takenAt,
      alreadyImportedAs: null,
      dryRun: true,
    });
    expect(dry.plan!.files).toBeGreaterThan(40);
    expect((await engine.call('backups:list')).backups).toHaveLength(0);
    expect(fs.readdirSync(backups)).toEqual([]);

    const record = await importFile(engine, newest.file);
    expect(record).toMatchObject({ origin: 'imported', state: 'completed', kind: 'full' });
    expect(record.createdAt).toBe(newest.takenAt);
    expect((await engine.call('backups:app-list')).backups[0]!.importedAs).toBe(record.id);

    // Idempotent: the same file again is the same backup, and a dry run says so.
    expect((await importFile(engine, newest.file)).id).toBe(record.id);
    expect((await engine.call('backups:list')).backups.map((item) => item.id)).toEqual([record.id]);
    const again = await engine.call('backups:app-import', { file: newest.file, dryRun: true });
    expect(again.plan!.alreadyImportedAs).toBe(record.id);

    const verify = await engine.call('backups:verify', { id: record.id, depth: 'full' });
    const verified = await engine.requireSession().jobs.wait(verify.id);
    expect(verified.error, JSON.stringify(verified.error)).toBeNull();
    const reports = (verified.result as { reports: VerifyReport[] }).reports;
    expect(reports[0]!.ok).toBe(true);

    // A memory lost and one added since: the restore brings back the first, keeps the second
    // and leaves the system's own backups (not in its archive) as they are.
    const ownBackups = fingerprint(path.join(root, 'backups'));
    const memories = path.join(root, 'data/memories');
    const lost = fs.readdirSync(memories).sort()[0]!;
    const memory = JSON.parse(fs.readFileSync(path.join(memories, lost), 'utf8')) as object;
    fs.rmSync(path.join(memories, lost));
    fs.writeFileSync(
      path.join(memories, 'mem_new.json'),
      JSON.stringify({ ...memory, id: 'mem_new' }),
    );
    await restore(engine, record.id);
    // The memory comes back as the system archived it (its tar gives every file the backup's
    // time); the newer memory and the system's own backups stay as they are.
    expect(JSON.parse(fs.readFileSync(path.join(memories, lost), 'utf8'))).toEqual(memory);
    expect(fs.existsSync(path.join(memories, 'mem_new.json'))).toBe(true);
    expect(fingerprint(path.join(root, 'backups'))).toEqual(ownBackups);
  });

  it('refuses a file that is not one of the app’s backups, and a folder whose app makes none', async () => {
    const { engine } = await memoryDemo();
    for (const file of ['../data/memories/x.json', 'memory_backup_20990101_000000.tar.gz']) {
      expect(await engine.dispatch('backups:app-import', { file, dryRun: true })).toMatchObject({
        ok: false,
        error: { code: 'BACKUP_NOT_FOUND' },
      });
    }
    const native = await nativeDemo();
    expect(await native.engine.call('backups:app-list')).toEqual({
      appName: null,
      folder: null,
      backups: [],
    });
    expect(
      await native.engine.dispatch('backups:app-import', { file: 'x.tar.gz', dryRun: false }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('names an archive cut short instead of importing it', async () => {
    const { engine, root } = await memoryDemo();
    const [oldest] = (await engine.call('backups:app-list')).backups.slice(-1);
    const file = path.join(root, 'backups', oldest!.file);
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const answer = await engine.dispatch('backups:app-import', {
      file: oldest!.file,
      dryRun: true,
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_CORRUPT', message: expect.stringContaining(oldest!.file) },
    });
  });
});
