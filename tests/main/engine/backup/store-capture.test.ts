/**
 * The profile's stores drive a backup's capture (backup/store-capture.ts): which plans are
 * captured together, a capture retaken while the app writes, the manifest's record of each
 * store, foreign databases left untouched, and exact restores per profile.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BackupSidecarSchema } from '../../../../src-shared/models/backup-manifest';
import type { StoreKindId } from '../../../../src-shared/models/profiles';
import {
  captureProfileStores,
  capturesTogether,
  sameIdentities,
  type FileIdentity,
} from '../../../../src-main/engine/backup/store-capture';
import { snapshotSqlite } from '../../../../src-main/engine/backup/sqlite-snapshot';
import { openWebuiProfile } from '../../../../src-main/engine/profiles/open-webui/open-webui-profile';
import type { CaptureItem } from '../../../../src-main/engine/stores/capture-plan';
import { listFiles } from '../../../../src-main/engine/stores/list-files';
import { withReadOnlyDatabase } from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import { tempDir } from '../../../support/temp-dir';
import {
  appDemoPerTest,
  backUp,
  fingerprint,
  restore,
  type AppDemo,
} from '../profiles/app-profiles-support';

const item = (method: CaptureItem['method'], name = 'a'): CaptureItem => ({
  path: name,
  bytes: 1,
  method,
});

describe('capturesTogether', () => {
  it.each<[string, StoreKindId, CaptureItem[], boolean, boolean]>([
    ['one database', 'sqlite', [item('sqlite-snapshot')], false, false],
    ['a Chroma folder', 'chroma', [item('sqlite-snapshot'), item('copy', 'b')], true, true],
    [
      'webui.db with vector_db',
      'sqlite',
      [item('copy'), item('sqlite-snapshot', 'b')],
      false,
      true,
    ],
    ['LanceDB tables', 'lancedb', [item('copy'), item('copy', 'b')], false, true],
    ['a FAISS index and its docstore', 'faiss', [item('copy'), item('copy', 'b')], true, true],
    ['memory files', 'json-store', [item('copy'), item('copy', 'b')], false, false],
    ['uploads', 'files', [item('copy'), item('copy', 'b')], false, false],
    ['an empty plan that needs the app stopped', 'chroma', [], true, false],
  ])('%s', (_what, kind, items, needsAppStopped, together) => {
    const plan = { base: '/x', items, consistency: '', needsAppStopped };
    expect(capturesTogether(kind, plan)).toBe(together);
  });
});

describe('sameIdentities', () => {
  const id = (size: number, mtimeMs = 1, ino = 1): FileIdentity => ({ size, mtimeMs, ino });
  it.each<
    [string, Array<[string, FileIdentity | null]>, Array<[string, FileIdentity | null]>, boolean]
  >([
    ['unchanged', [['a', id(1)]], [['a', id(1)]], true],
    ['grown', [['a', id(1)]], [['a', id(2)]], false],
    ['touched', [['a', id(1)]], [['a', id(1, 2)]], false],
    ['replaced by rename', [['a', id(1)]], [['a', id(1, 1, 2)]], false],
    ['a WAL appeared', [['a-wal', null]], [['a-wal', id(8)]], false],
    ['still no WAL', [['a-wal', null]], [['a-wal', null]], true],
    [
      'a file fewer',
      [
        ['a', id(1)],
        ['b', id(1)],
      ],
      [['a', id(1)]],
      false,
    ],
  ])('%s', (_what, before, after, same) => {
    expect(sameIdentities(new Map(before), new Map(after))).toBe(same);
  });
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The app's pair: a row in chroma.sqlite3 and a file in a segment folder, the same generation. */
function appWrites(root: string, segmentFile: string, generation: number): void {
  const db = new Database(path.join(root, 'vector_db/chroma.sqlite3'));
  try {
    db.exec('CREATE TABLE IF NOT EXISTS app_pairs (generation INTEGER)');
    db.prepare('INSERT INTO app_pairs VALUES (?)').run(generation);
  } finally {
    db.close();
  }
  fs.writeFileSync(path.join(root, segmentFile), JSON.stringify({ generation }));
}

const openWebuiDemo = appDemoPerTest('open-webui');

async function firstSegmentFile(root: string): Promise<string> {
  const files = await listFiles(path.join(root, 'vector_db'), 'vector_db');
  const segment = files.find((file) => file.path.split('/').length === 3);
  if (!segment) throw new Error('the demo has no segment folder');
  return `${path.dirname(segment.path)}/pair.json`;
}

async function allFiles(root: string): Promise<Set<string>> {
  return new Set((await listFiles(root)).map((file) => file.path));
}

describe('captureProfileStores', () => {
  it('takes the copy again when the app writes between the database and its segment files', async () => {
    const { root } = await openWebuiDemo();
    const segmentFile = await firstSegmentFile(root);
    appWrites(root, segmentFile, 1);
    const staging = tempDir('tend-staging-');
    let snapshots = 0;
    const captures = await captureProfileStores({
      root,
      stores: openWebuiProfile.stores,
      files: await allFiles(root),
      stagingDir: staging,
      signal: new AbortController().signal,
      // The app writes the pair right after the first snapshot of Chroma's database: the
      // segment files copied next are newer than the snapshot.
      snapshot: async (source, target, signal) => {
        await snapshotSqlite(source, target, signal);
        if (source.endsWith('chroma.sqlite3') && snapshots++ === 0) appWrites(root, segmentFile, 2);
      },
      onFailure: 'fail',
      onProgress: () => undefined,
    });
    const stagedDb = captures.staged.get('vector_db/chroma.sqlite3')!;
    const stagedPair = captures.staged.get(segmentFile)!;
    const rowGeneration = withReadOnlyDatabase(
      stagedDb,
      (db) => (db.prepare('SELECT max(generation) AS g FROM app_pairs').get() as { g: number }).g,
    );
    const fileGeneration = (
      JSON.parse(fs.readFileSync(stagedPair, 'utf8')) as { generation: number }
    ).generation;
    expect(fileGeneration).toBe(rowGeneration);
    expect(rowGeneration).toBe(2);
    expect(captures.warnings).toEqual([]);
    expect(captures.records.map((record) => [record.store, record.capture])).toEqual([
      ['webui-db', 'together'],
      ['uploads', 'per-file'],
      ['vector-db', 'together'],
    ]);
  });

  it('keeps the copy with a warning when the app never stops writing', async () => {
    const { root } = await openWebuiDemo();
    const segmentFile = await firstSegmentFile(root);
    let generation = 0;
    const captures = await captureProfileStores({
      root,
      stores: openWebuiProfile.stores,
      files: await allFiles(root),
      stagingDir: tempDir('tend-staging-'),
      signal: new AbortController().signal,
      snapshot: async (source, target, signal) => {
        await snapshotSqlite(source, target, signal);
        if (source.endsWith('chroma.sqlite3')) appWrites(root, segmentFile, ++generation);
      },
      onFailure: 'fail',
      onProgress: () => undefined,
    });
    expect(generation).toBe(3);
    expect(captures.warnings).toEqual([
      expect.objectContaining({
        path: 'webui.db',
        message: expect.stringContaining('was written to while it was copied (3 tries)'),
      }),
    ]);
  });
});

async function sidecarOf(demo: AppDemo, fileName: string) {
  const file = path.join(demo.backups, fileName.replace(/\.tar\.gz$/, '.manifest.json'));
  return BackupSidecarSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Every SQLite file of a root with its bytes' hash, and every -wal/-shm/-journal beside one. */
function databasesOf(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (/\.(db|sqlite3?)(-wal|-shm|-journal)?$/.test(entry.name)) {
        out.set(child, sha(path.join(root, child)));
      }
    }
  };
  walk('');
  return out;
}

describe('a backup driven by the profile’s stores', () => {
  it.each<[string, Array<[string, string]>]>([
    [
      'open-webui',
      [
        ['webui-db', 'together'],
        ['uploads', 'per-file'],
        ['vector-db', 'together'],
      ],
    ],
    [
      'memory-system',
      [
        ['memories', 'per-file'],
        ['embeddings', 'together'],
        ['search-indexes', 'per-file'],
        ['own-backups', 'per-file'],
      ],
    ],
  ])(
    '%s: records each store and how it was captured, leaves foreign databases as they were, and restores exactly',
    async (profile, expected) => {
      const demo = await appDemoPerTestFor(profile)();
      const before = databasesOf(demo.root);
      const print = fingerprint(demo.root);
      const record = await backUp(demo.engine, 'full');
      expect(databasesOf(demo.root)).toEqual(before);
      const sidecar = await sidecarOf(demo, record.fileName);
      const stores = sidecar.stores ?? [];
      expect(stores.map((store) => [store.store, store.capture])).toEqual(expected);
      for (const store of stores) {
        const under = sidecar.entries.filter(
          (entry) =>
            entry.type === 'file' &&
            (entry.path === store.path || entry.path.startsWith(`${store.path}/`)),
        );
        expect(store.files, store.store).toBe(under.length);
        expect(store.bytes, store.store).toBe(
          under.reduce((sum, entry) => sum + (entry.type === 'file' ? entry.size : 0), 0),
        );
      }
      const derived = stores.filter((store) => store.origin.kind === 'derived');
      expect(derived.map((store) => store.store)).toEqual(
        profile === 'memory-system' ? ['search-indexes'] : [],
      );
      fs.rmSync(path.join(demo.root, 'vector_db'), { recursive: true, force: true });
      fs.rmSync(path.join(demo.root, 'data/embeddings'), { recursive: true, force: true });
      await restore(demo.engine, record.id);
      expect(fingerprint(demo.root)).toEqual(print);
    },
  );

  it.each([
    ['anythingllm', 'lancedb'],
    ['entity-rag', 'entity-index'],
  ])(
    '%s: its %s store is captured together, and comes back exactly once lost',
    async (profile, storeId) => {
      const demo = await appDemoPerTestFor(profile)();
      const print = fingerprint(demo.root);
      const record = await backUp(demo.engine, 'full');
      const sidecar = await sidecarOf(demo, record.fileName);
      const mine = (sidecar.stores ?? []).filter((store) => store.store === storeId);
      expect(mine.length).toBeGreaterThan(0);
      for (const store of mine) {
        expect(store.capture, store.path).toBe('together');
        expect(store.files, store.path).toBeGreaterThan(1);
        fs.rmSync(path.join(demo.root, store.path), { recursive: true, force: true });
      }
      await restore(demo.engine, record.id);
      expect(fingerprint(demo.root)).toEqual(print);
    },
  );

  it('native: the archive holds the same files as before, and names its stores', async () => {
    const demo = await appDemoPerTestFor('native')();
    const record = await backUp(demo.engine, 'critical');
    const sidecar = await sidecarOf(demo, record.fileName);
    expect(sidecar.stores?.length).toBeGreaterThan(0);
    expect(sidecar.stores?.every((store) => store.capture === 'per-file')).toBe(true);
    expect(sidecar.assistantSchemaVersion).not.toBeNull();
  });
});

const perTest = new Map<string, () => Promise<AppDemo>>();
for (const profile of ['open-webui', 'memory-system', 'anythingllm', 'entity-rag', 'native']) {
  perTest.set(profile, appDemoPerTest(profile));
}
function appDemoPerTestFor(profile: string): () => Promise<AppDemo> {
  const demo = perTest.get(profile);
  if (!demo) throw new Error(`no demo for ${profile}`);
  return demo;
}
