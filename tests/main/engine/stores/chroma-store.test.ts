import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import { captureStore } from '../../../../src-main/engine/stores/capture-store';
import { chromaStore } from '../../../../src-main/engine/stores/chroma/chroma-store';
import { parseHnswHeader } from '../../../../src-main/engine/stores/chroma/hnsw-segment';
import { withReadOnlyDatabase } from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import { tempDir } from '../../../support/temp-dir';

async function demo(orphans = 0) {
  const dir = path.join(tempDir(), 'vector_db');
  await chromaStore.writeDemo(
    { dir },
    { seed: 'chroma-test', orphans, records: 20, dimension: 32 },
  );
  return dir;
}

const folders = (dir: string) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

describe('the chroma kind', () => {
  it('writes Chroma’s schema, as its migrations leave it', async () => {
    const dir = await demo();
    withReadOnlyDatabase(path.join(dir, 'chroma.sqlite3'), (db) => {
      const tables = (
        db
          .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'embedding_fulltext_search_%' ORDER BY name",
          )
          .all() as Array<{ name: string }>
      ).map((row) => row.name);
      expect(tables).toEqual([
        'acquire_write',
        'collection_metadata',
        'collections',
        'databases',
        'embedding_fulltext_search',
        'embedding_metadata',
        'embedding_metadata_array',
        'embeddings',
        'embeddings_queue',
        'embeddings_queue_config',
        'maintenance_log',
        'max_seq_id',
        'migrations',
        'segment_metadata',
        'segments',
        'tenants',
      ]);
      const columns = (table: string) =>
        (
          db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as Array<{
            name: string;
          }>
        ).map((row) => row.name);
      expect(columns('collections')).toEqual([
        'id',
        'name',
        'dimension',
        'database_id',
        'config_json_str',
        'schema_str',
      ]);
      expect(columns('segments')).toEqual(['id', 'type', 'scope', 'collection']);
      expect(columns('max_seq_id')).toEqual(['segment_id', 'seq_id']);
      expect(db.prepare('SELECT count(*) AS n FROM migrations').get()).toEqual({ n: 11 });
      // The records and the log agree: every record was logged once.
      expect(db.prepare('SELECT count(*) AS n FROM embeddings').get()).toEqual({ n: 40 });
      expect(db.prepare('SELECT count(*) AS n FROM embeddings_queue').get()).toEqual({ n: 40 });
      const hits = db
        .prepare(
          "SELECT count(*) AS n FROM embedding_fulltext_search WHERE string_value MATCH 'the'",
        )
        .get() as { n: number };
      expect(hits.n).toBeGreaterThan(0);
    });
  });

  it('lists collections and their segments, and finds a sound store sound', async () => {
    const dir = await demo();
    const check = await chromaStore.validate({ dir });
    expect(check.ok).toBe(true);
    expect(check.findings).toEqual([]);
    expect(check.facts.collections).toHaveLength(2);
    for (const collection of check.facts.collections) {
      expect(collection).toMatchObject({ dimension: 32, records: 20 });
      expect(collection.segments.map((s) => s.scope).sort()).toEqual(['METADATA', 'VECTOR']);
      const vector = collection.segments.find((s) => s.scope === 'VECTOR')!;
      expect(vector).toMatchObject({ persisted: true, vectors: 20 });
      expect(vector.folderBytes).toBeGreaterThan(0);
      const header = parseHnswHeader(fs.readFileSync(path.join(dir, vector.id, 'header.bin')));
      expect(header).toMatchObject({ ok: true, header: { dimension: 32, count: 20, m: 16 } });
    }
  });

  it('writes index files that hnswlib itself loads and searches', async () => {
    const dir = await demo();
    const segment = (await chromaStore.validate({ dir })).facts.collections[0]!.segments.find(
      (s) => s.scope === 'VECTOR',
    )!;
    const read = (name: string) => fs.readFileSync(path.join(dir, segment.id, name));
    const header = parseHnswHeader(read('header.bin'));
    if (!header.ok) throw new Error(header.reason);
    const { count, sizePerElement } = header.header;
    // hnswlib's one-file format is the persisted files end to end: the header without Chroma's
    // version field, the elements in use, then their upper-level link lists.
    const single = path.join(tempDir(), 'index.hnsw');
    fs.writeFileSync(
      single,
      Buffer.concat([
        read('header.bin').subarray(4),
        read('data_level0.bin').subarray(0, count * sizePerElement),
        read('link_lists.bin'),
      ]),
    );
    const index = new hnswlib.HierarchicalNSW('l2', 32);
    index.readIndexSync(single);
    expect(index.getCurrentCount()).toBe(20);
    const labels = index.getIdsList().sort((a, b) => a - b);
    expect(labels).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const label of [1, 7, 20]) {
      expect(index.searchKnn(index.getPoint(label), 1).neighbors).toEqual([label]);
    }
  });

  it('reports a segment folder chroma.sqlite3 does not refer to as an orphan with its size', async () => {
    const dir = await demo(1);
    const check = await chromaStore.validate({ dir });
    expect(check.ok).toBe(true);
    expect(check.facts.orphans).toHaveLength(1);
    const orphan = check.facts.orphans[0]!;
    const bytes = fs
      .readdirSync(path.join(dir, orphan.folder))
      .reduce((sum, name) => sum + fs.statSync(path.join(dir, orphan.folder, name)).size, 0);
    expect(orphan.bytes).toBe(bytes);
    expect(check.findings).toEqual([
      expect.objectContaining({
        code: 'CHROMA_SEGMENT_ORPHAN',
        severity: 'reclaimable',
        path: orphan.folder,
        bytes,
      }),
    ]);
  });

  it('reports a missing segment folder by name, with the collection and what to do', async () => {
    const dir = await demo();
    const before = await chromaStore.validate({ dir });
    const collection = before.facts.collections[1]!;
    const segment = collection.segments.find((s) => s.scope === 'VECTOR')!;
    fs.rmSync(path.join(dir, segment.id), { recursive: true });
    const check = await chromaStore.validate({ dir });
    expect(check.ok).toBe(false);
    expect(check.findings).toEqual([
      expect.objectContaining({
        code: 'CHROMA_SEGMENT_MISSING',
        severity: 'problem',
        path: segment.id,
        message: expect.stringContaining(`“${collection.name}”`),
        action: expect.stringContaining('from one backup'),
      }),
    ]);
  });

  it('reports damaged segment files', async () => {
    const dir = await demo();
    const segment = folders(dir)[0]!;
    fs.truncateSync(path.join(dir, segment, 'data_level0.bin'), 1000);
    fs.rmSync(path.join(dir, segment, 'index_metadata.pickle'));
    const check = await chromaStore.validate({ dir });
    expect(check.findings.map((f) => [f.code, f.path])).toEqual([
      ['CHROMA_SEGMENT_INCOMPLETE', `${segment}/data_level0.bin`],
      ['CHROMA_SEGMENT_INCOMPLETE', `${segment}/index_metadata.pickle`],
    ]);
  });

  it('does not miss a folder for a vector segment that was never persisted', async () => {
    const dir = await demo();
    const segment = folders(dir)[0]!;
    const db = new Database(path.join(dir, 'chroma.sqlite3'));
    db.prepare('DELETE FROM max_seq_id WHERE segment_id = ?').run(segment);
    db.close();
    fs.rmSync(path.join(dir, segment), { recursive: true });
    expect((await chromaStore.validate({ dir })).findings).toEqual([]);
  });

  it('refuses a database that is not Chroma’s', async () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, 'chroma.sqlite3'));
    db.exec('CREATE TABLE something (x)');
    db.close();
    expect((await chromaStore.validate({ dir })).findings).toMatchObject([
      { code: 'CHROMA_NOT_CHROMA', path: 'chroma.sqlite3' },
    ]);
    expect((await chromaStore.validate({ dir: tempDir() })).findings).toMatchObject([
      { code: 'FILE_MISSING', path: 'chroma.sqlite3' },
    ]);
  });

  it('captures chroma.sqlite3 first, then the segments it refers to, not the orphans', async () => {
    const dir = await demo(1);
    const orphan = (await chromaStore.validate({ dir })).facts.orphans[0]!.folder;
    const plan = await chromaStore.planCapture({ dir });
    expect(plan.items[0]).toMatchObject({ path: 'chroma.sqlite3', method: 'sqlite-snapshot' });
    expect(plan.items.slice(1).every((item) => item.method === 'copy')).toBe(true);
    expect(plan.items.some((item) => item.path.startsWith(orphan))).toBe(false);
    expect(plan.items).toHaveLength(1 + 2 * 5);
    expect(plan.needsAppStopped).toBe(true);
    const out = tempDir();
    await captureStore(plan, out);
    expect(await chromaStore.validate({ dir: out })).toMatchObject({ ok: true, findings: [] });
  });

  it('writes the same store for the same seed', async () => {
    const one = await demo();
    const two = await demo();
    const digest = (file: string) =>
      crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(digest(path.join(one, 'chroma.sqlite3'))).toBe(digest(path.join(two, 'chroma.sqlite3')));
    expect(folders(one).sort()).toEqual(folders(two).sort());
  });
});
