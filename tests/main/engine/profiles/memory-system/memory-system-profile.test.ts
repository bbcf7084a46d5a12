/**
 * The memory-system profile (seed 001): detected on its demo and on nothing else, every memory
 * file parses and the Chroma store checks out, the system's own backups are listed with their
 * dates, each fault is named with what to do, and the folder is backed up and restored exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileInfoSchema } from '../../../../../src-shared/models/profiles';
import { memorySystemProfile } from '../../../../../src-main/engine/profiles/memory-system/memory-system-profile';
import {
  listMemoryBackups,
  memoryBackupTime,
} from '../../../../../src-main/engine/profiles/memory-system/own-backups';
import { describeProfile, detectProfile } from '../../../../../src-main/engine/profiles/registry';
import { categorizerFor } from '../../../../../src-main/engine/root/category-rules';
import { tempDir, writeFile } from '../../../../support/temp-dir';
import { profileDemoFixture, reportOf } from '../support/seed-profile-engine';

const store = (id: string) => memorySystemProfile.stores.find((candidate) => candidate.id === id)!;

async function only(root: string, storeId: string) {
  const [found] = await store(storeId).instances(root);
  if (!found) throw new Error(`no instance of ${storeId}`);
  return found;
}

describe('the memory-system profile', () => {
  it('is described with its stores, the search indexes derived from the memories', () => {
    const info = ProfileInfoSchema.parse(describeProfile(memorySystemProfile));
    expect(info.stores.map((s) => [s.id, s.kind, s.category, s.origin.kind])).toEqual([
      ['memories', 'json-store', 'irreplaceable', 'source'],
      ['embeddings', 'chroma', 'irreplaceable', 'source'],
      ['search-indexes', 'files', 'rebuildable', 'derived'],
      ['own-backups', 'files', 'irreplaceable', 'source'],
    ]);
    expect(info.hasDemo).toBe(true);
  });

  it.each([
    ['data/memories/mem_1.json', 'irreplaceable'],
    ['data/embeddings/chroma.sqlite3', 'irreplaceable'],
    ['data/indexes/tags.json', 'rebuildable'],
    ['data/logs/memory.log', 'disposable'],
    ['logs/server.log', 'disposable'],
    ['backups/memory_backup_20240101_120000.tar.gz', 'irreplaceable'],
    ['ssl/server.key', 'irreplaceable'],
  ])('puts %s in %s', (relative, category) => {
    expect(categorizerFor(memorySystemProfile.categoryRules)(relative)).toBe(category);
  });

  it.each([
    ['memory_backup_20240101_120000.tar.gz', '2024-01-01T12:00:00.000Z'],
    ['memory_backup_20261031_020000.tar.gz', '2026-10-31T02:00:00.000Z'],
    ['memory_backup_20240231_120000.tar.gz', null],
    ['memory_backup_20240101_250000.tar.gz', null],
    ['memory_backup_20240101.tar.gz', null],
    ['latest_backup.txt', null],
  ])('reads the time of %s as %s', (name, time) => {
    expect(memoryBackupTime(name)).toBe(time);
  });

  it('detects its demo; an empty folder, a home folder and the other seed folders are not its', async () => {
    const fixture = await profileDemoFixture('memory-system');
    expect((await detectProfile(fixture.root)).detected).toBe('memory-system');
    const entityRag = await profileDemoFixture('entity-rag');
    expect((await detectProfile(entityRag.root)).detected).toBe('entity-rag');
    expect((await detectProfile(tempDir())).detected).toBeNull();
    const home = tempDir();
    for (const name of ['.profile', 'Documents/notes.md', 'data/memories.txt', 'backups/x.zip']) {
      writeFile(path.join(home, name), 'x');
    }
    expect((await detectProfile(home)).detected).toBeNull();
    // memories/ alone says enough; the search indexes alone do not.
    const weak = tempDir();
    fs.mkdirSync(path.join(weak, 'data/memories'), { recursive: true });
    expect((await detectProfile(weak)).detected).toBe('memory-system');
    fs.rmSync(path.join(weak, 'data/memories'), { recursive: true });
    fs.mkdirSync(path.join(weak, 'data/indexes'), { recursive: true });
    expect((await detectProfile(weak)).detected).toBeNull();
  });

  it('finds its demo sound and lists the system’s own backups, newest first', async () => {
    const { root } = await profileDemoFixture('memory-system');
    for (const profileStore of memorySystemProfile.stores) {
      const [one] = await profileStore.instances(root);
      expect(one, profileStore.id).toBeDefined();
      const check = await one!.validate();
      expect(check.ok, `${one!.label}: ${check.summary}`).toBe(true);
    }
    const backups = await listMemoryBackups(path.join(root, 'backups'));
    expect(backups.map((backup) => backup.file)).toEqual([
      'memory_backup_20261031_020000.tar.gz',
      'memory_backup_20261030_020000.tar.gz',
      'memory_backup_20261029_020000.tar.gz',
    ]);
    expect((await (await only(root, 'own-backups')).validate()).summary).toBe(
      '3 backup(s) by the memory system, the newest 2026-10-31 02:00',
    );
    const memories = await (await only(root, 'memories')).validate();
    expect(memories.facts).toMatchObject({ files: 40, records: 40 * 6 });
  });

  it('names a truncated memory file, a missing Chroma segment folder and a cut backup', async () => {
    const { root } = await profileDemoFixture('memory-system');
    const folder = path.join(root, 'data/memories');
    const memory = fs.readdirSync(folder).sort()[0]!;
    fs.truncateSync(path.join(folder, memory), 30);
    const memories = await (await only(root, 'memories')).validate();
    expect(memories.ok).toBe(false);
    expect(memories.findings).toEqual([
      expect.objectContaining({
        code: 'JSON_TRUNCATED',
        path: memory,
        action: expect.stringContaining(`Restore ${memory} from a backup`),
      }),
    ]);

    const chroma = path.join(root, 'data/embeddings');
    const segment = fs
      .readdirSync(chroma)
      .filter((name) => fs.statSync(path.join(chroma, name)).isDirectory())
      .sort()[0]!;
    fs.rmSync(path.join(chroma, segment), { recursive: true });
    const embeddings = await (await only(root, 'embeddings')).validate();
    expect(embeddings.ok).toBe(false);
    expect(embeddings.findings).toEqual([
      expect.objectContaining({
        code: 'CHROMA_SEGMENT_MISSING',
        path: segment,
        action: expect.stringContaining('Restore'),
      }),
    ]);

    const backups = path.join(root, 'backups');
    const newest = 'memory_backup_20261031_020000.tar.gz';
    fs.truncateSync(path.join(backups, newest), 1000);
    const own = await (await only(root, 'own-backups')).validate();
    expect(own.ok).toBe(false);
    expect(own.findings).toEqual([
      expect.objectContaining({ code: 'FILE_UNREADABLE', path: newest }),
    ]);
  });

  it('backs the folder up and restores it exactly, a lost Chroma segment and a cut memory included', async () => {
    const fixture = await profileDemoFixture('memory-system');
    const before = fixture.fingerprint();
    const backup = await fixture.backup();
    const chroma = path.join(fixture.root, 'data/embeddings');
    const segment = fs
      .readdirSync(chroma)
      .find((name) => fs.statSync(path.join(chroma, name)).isDirectory())!;
    fs.rmSync(path.join(chroma, segment), { recursive: true });
    const folder = path.join(fixture.root, 'data/memories');
    const memory = fs.readdirSync(folder).sort()[0]!;
    fs.truncateSync(path.join(folder, memory), 30);
    fs.rmSync(path.join(fixture.root, 'data/indexes'), { recursive: true });

    const report = reportOf(await fixture.restore(backup, { kind: 'everything' }));
    expect(report.checks).toContainEqual(
      expect.objectContaining({ name: 'Chroma store (data/embeddings)', ok: true }),
    );
    expect(report.checks).toContainEqual(
      expect.objectContaining({ name: 'memory files', ok: true }),
    );
    expect(fixture.fingerprint()).toEqual(before);
  });
});
