import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSummary } from '../../../../src-shared/models/demo';
import { TendFailure } from '../../../../src-shared/errors';
import { generateDemo, type DemoProgress } from '../../../../src-main/engine/demo/demo-generator';
import {
  ASSISTANT_SCHEMA_VERSION,
  ASSISTANT_TABLES,
  decodeEmbedding,
  listCollections,
  openAssistantDb,
} from '../../../../src-main/engine/store/assistant-db';

const { HierarchicalNSW } = hnswlib;

const made: string[] = [];

function tempRoot(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tend-')));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

interface WalkedFile {
  readonly size: number;
  readonly mtimeMs: number;
}

/** Every regular file under root, by root-relative path. */
function walk(root: string): Map<string, WalkedFile> {
  const out = new Map<string, WalkedFile>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) {
        const stat = fs.statSync(full);
        out.set(relative, { size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
  };
  visit(root);
  return out;
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const DB = 'local_data/internal_assistant/assistant.db';

/** A digest of every row of every table, in primary-key order. */
function rowDigest(root: string): Record<string, string> {
  const db = new Database(path.join(root, DB), { readonly: true });
  try {
    const out: Record<string, string> = {};
    for (const table of ASSISTANT_TABLES) {
      const hash = crypto.createHash('sha256');
      for (const row of db
        .prepare(`SELECT * FROM ${table} ORDER BY 1`)
        .iterate() as IterableIterator<Record<string, unknown>>) {
        for (const value of Object.values(row)) {
          hash.update(Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)));
          hash.update('\u0000');
        }
      }
      out[table] = hash.digest('hex');
    }
    return out;
  } finally {
    db.close();
  }
}

const NOW = new Date('2026-11-01T00:00:00.000Z');

interface Run {
  readonly root: string;
  readonly summary: DemoSummary;
  readonly events: ReadonlyArray<DemoProgress & { readonly at: number }>;
  /** The walk right after generation: later read-only opens of assistant.db add -wal/-shm. */
  readonly files: ReadonlyMap<string, WalkedFile>;
}

async function run(seed: number): Promise<Run> {
  const root = tempRoot();
  const events: Array<DemoProgress & { at: number }> = [];
  const summary = await generateDemo({
    root,
    size: 'small',
    seed,
    onProgress: (progress) => events.push({ ...progress, at: performance.now() }),
  });
  return { root, summary, events, files: walk(root) };
}

describe('generateDemo (small)', () => {
  let first: Run;
  let second: Run;
  let other: Run;

  beforeAll(async () => {
    first = await run(42);
    second = await run(42);
    other = await run(43);
  }, 60_000);

  it('writes the data root layout', () => {
    const files = [...first.files.keys()];
    const has = (pattern: RegExp) => files.some((file) => pattern.test(file));
    const expected = [
      /^local_data\/internal_assistant\/assistant\.db$/,
      /^local_data\/internal_assistant\/vector_store\/[a-z-]+\/index\.hnsw$/,
      /^local_data\/internal_assistant\/vector_store\/[a-z-]+\/index\.json$/,
      /^local_data\/internal_assistant\/vector_store\/[a-z-]+\/\.lock$/,
      /^local_data\/internal_assistant\/documents\/[a-z-]+\/[^/]+\.md$/,
      /^local_data\/internal_assistant\/documents\/[a-z-]+\/[^/]+\.txt$/,
      /^local_data\/internal_assistant\/documents\/[a-z-]+\/[^/]+\.pdf$/,
      /^local_data\/models\/all-MiniLM-L6-v2\/config\.json$/,
      /^local_data\/models\/all-MiniLM-L6-v2\/tokenizer\.json$/,
      /^local_data\/models\/all-MiniLM-L6-v2\/model\.safetensors$/,
      /^local_data\/models\/cache\/models--BAAI--bge-small-en-v1\.5\/blobs\/[0-9a-f]{64}$/,
      /^local_data\/models\/cache\/models--BAAI--bge-small-en-v1\.5\/refs\/main$/,
      /^local_data\/models\/custom\/[^/]+\/model\.safetensors$/,
      /^local_data\/cache\/tiktoken\/[0-9a-f]{40}$/,
      /^local_data\/cache\/tokens\/[0-9a-f]{2}\/[0-9a-f]{38}\.json$/,
      /^local_data\/logs\/app\.log$/,
      /^local_data\/logs\/error\.log$/,
      /^local_data\/logs\/access\.log$/,
      /^local_data\/logs\/app-\d{4}-\d{2}-\d{2}\.log$/,
      /^local_data\/logs\/access-\d{4}-\d{2}-\d{2}\.log\.gz$/,
      /^config\/settings\.yaml$/,
      /^data\/api_storage\/entities\.json$/,
      /^data\/api_storage\/chat_sessions\.json$/,
      /^data\/uploads\/ent_[0-9a-f]+\/[^/]+$/,
      /^data\/logs\/app\.log$/,
      /\.tmp$/,
    ];
    for (const pattern of expected) expect(has(pattern), String(pattern)).toBe(true);
    // The WAL was folded in and the download left no partial blob.
    expect(has(/assistant\.db-(wal|shm)$/)).toBe(false);
    expect(has(/\.(incomplete|partial)$/)).toBe(false);
  });

  it('reports files and bytes that match a walk of the root', () => {
    const files = first.files;
    const bytes = [...files.values()].reduce((sum, file) => sum + file.size, 0);
    expect(first.summary).toMatchObject({
      root: first.root,
      size: 'small',
      seed: 42,
      files: files.size,
      bytes,
    });
    expect(first.summary.files).toBeGreaterThan(300);
    expect(first.summary.bytes).toBeGreaterThan(15_000_000);
    expect(first.summary.bytes).toBeLessThan(35_000_000);
    expect(first.summary.chunks).toBeGreaterThan(1_500);
    expect(first.summary.chunks).toBeLessThan(2_600);
    expect(first.summary.interactions).toBe(20_000);
  });

  it('stores rows that agree with the summary and the files', () => {
    const db = openAssistantDb(path.join(first.root, DB), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(ASSISTANT_SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM collections')).toBe(first.summary.collections);
      expect(count('SELECT count(*) AS n FROM documents WHERE deleted_at IS NULL')).toBe(
        first.summary.documents,
      );
      expect(count('SELECT count(*) AS n FROM chunks WHERE deleted_at IS NULL')).toBe(
        first.summary.chunks,
      );
      expect(count('SELECT count(*) AS n FROM chat_sessions')).toBe(first.summary.chatSessions);
      expect(count('SELECT count(*) AS n FROM interactions')).toBe(first.summary.interactions);
      expect(
        count('SELECT count(*) AS n FROM documents WHERE deleted_at IS NOT NULL'),
      ).toBeGreaterThan(0);
      expect(
        count('SELECT count(*) AS n FROM chunks WHERE length(text) NOT BETWEEN 150 AND 1200'),
      ).toBe(0);

      // Live documents have their original, with the recorded size and hash; deleted ones do not.
      const docs = db
        .prepare('SELECT collection_id, source_path, bytes, sha256, deleted_at FROM documents')
        .all() as Array<{
        collection_id: string;
        source_path: string;
        bytes: number;
        sha256: string;
        deleted_at: string | null;
      }>;
      for (const doc of docs) {
        const file = path.join(
          first.root,
          'local_data/internal_assistant/documents',
          doc.collection_id,
          doc.source_path,
        );
        if (doc.deleted_at !== null) {
          expect(fs.existsSync(file)).toBe(false);
          continue;
        }
        expect(fs.statSync(file).size).toBe(doc.bytes);
        expect(sha256(file)).toBe(doc.sha256);
      }

      // Eighteen months of analytics ending before "now", with personal data to scrub.
      const span = db
        .prepare('SELECT min(timestamp) AS first, max(timestamp) AS last FROM interactions')
        .get() as {
        first: string;
        last: string;
      };
      expect(span.last < NOW.toISOString()).toBe(true);
      expect(span.last > '2026-10-30').toBe(true);
      expect(span.first < '2025-05-15').toBe(true);
      expect(
        count("SELECT count(*) AS n FROM interactions WHERE query LIKE '%@example.%'"),
      ).toBeGreaterThan(100);
      expect(
        count("SELECT count(*) AS n FROM interactions WHERE query LIKE '%555%'"),
      ).toBeGreaterThan(50);
      expect(count('SELECT count(*) AS n FROM interactions WHERE ip IS NOT NULL')).toBeGreaterThan(
        5_000,
      );
      expect(
        count('SELECT count(*) AS n FROM interactions WHERE user_rating IS NOT NULL'),
      ).toBeGreaterThan(1_000);

      // Chats alternate user and assistant after an optional system prompt.
      const roles = db
        .prepare('SELECT session_id, role FROM chat_messages ORDER BY id')
        .all() as Array<{
        session_id: string;
        role: string;
      }>;
      const bySession = new Map<string, string[]>();
      for (const row of roles)
        bySession.set(row.session_id, [...(bySession.get(row.session_id) ?? []), row.role]);
      for (const sequence of bySession.values()) {
        const turns = sequence[0] === 'system' ? sequence.slice(1) : sequence;
        expect(turns.length % 2).toBe(0);
        turns.forEach((role, i) => expect(role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
      }
    } finally {
      db.close();
    }
  });

  it('builds each index from the live chunks: same labels, same count, searchable', () => {
    const db = openAssistantDb(path.join(first.root, DB), { readonly: true });
    try {
      const collections = listCollections(db);
      expect(collections.length).toBe(3);
      const chunkCollection = new Map(
        (
          db.prepare('SELECT id, collection_id FROM chunks').all() as Array<{
            id: number;
            collection_id: string;
          }>
        ).map((row) => [row.id, row.collection_id]),
      );
      for (const collection of collections) {
        const dir = path.join(
          first.root,
          'local_data/internal_assistant/vector_store',
          collection.id,
        );
        const meta = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        expect(meta).toMatchObject({
          collection: collection.id,
          dimension: 384,
          space: 'cosine',
          m: collection.m,
          efConstruction: collection.efConstruction,
          efSearch: collection.efSearch,
          count: collection.chunkCount,
          schemaVersion: ASSISTANT_SCHEMA_VERSION,
          builtAt: '2026-10-31T23:55:00.000Z',
        });

        const index = new HierarchicalNSW('cosine', 384);
        index.readIndexSync(path.join(dir, 'index.hnsw'));
        expect(index.getCurrentCount()).toBe(collection.chunkCount);
        expect(index.getMaxElements()).toBe(meta.maxElements);
        const live = db
          .prepare(
            'SELECT id, embedding FROM chunks WHERE collection_id = ? AND deleted_at IS NULL ORDER BY id',
          )
          .all(collection.id) as Array<{ id: number; embedding: Buffer }>;
        expect([...index.getIdsList()].sort((a, b) => a - b)).toEqual(live.map((row) => row.id));

        index.setEf(collection.efSearch);
        let sameCollection = 0;
        let neighbours = 0;
        for (const row of live.filter((_, i) => i % Math.ceil(live.length / 15) === 0)) {
          const result = index.searchKnn(Array.from(decodeEmbedding(row.embedding, 384)), 10);
          expect(result.neighbors[0]).toBe(row.id);
          expect(result.distances[0] ?? 1).toBeLessThan(1e-4);
          neighbours += result.neighbors.length;
          sameCollection += result.neighbors.filter(
            (id) => chunkCollection.get(id) === collection.id,
          ).length;
        }
        // An index holds one collection only, so this checks that the nearest chunks are close.
        expect(sameCollection).toBe(neighbours);
      }

      // Clustering: a chunk's nearest chunk across all collections is almost always in its own.
      const all = db
        .prepare(
          'SELECT id, collection_id, embedding FROM chunks WHERE deleted_at IS NULL ORDER BY id',
        )
        .all() as Array<{
        id: number;
        collection_id: string;
        embedding: Buffer;
      }>;
      const vectors = all.map((row) => decodeEmbedding(row.embedding, 384));
      let agree = 0;
      const sample = all.filter((_, i) => i % 40 === 0);
      for (const row of sample) {
        const query = vectors[all.indexOf(row)] as Float32Array;
        let best = -Infinity;
        let bestCollection = '';
        all.forEach((candidate, i) => {
          if (candidate.id === row.id) return;
          const v = vectors[i] as Float32Array;
          let dot = 0;
          for (let k = 0; k < 384; k++) dot += (query[k] ?? 0) * (v[k] ?? 0);
          if (dot > best) {
            best = dot;
            bestCollection = candidate.collection_id;
          }
        });
        if (bestCollection === row.collection_id) agree++;
      }
      expect(agree / sample.length).toBeGreaterThan(0.95);
    } finally {
      db.close();
    }
  });

  it('writes real-looking model and log files with mtimes on their dates', () => {
    const model = fs.readFileSync(
      path.join(first.root, 'local_data/models/all-MiniLM-L6-v2/model.safetensors'),
    );
    const headerLength = Number(model.readBigUInt64LE(0));
    const header = JSON.parse(model.subarray(8, 8 + headerLength).toString('utf8')) as Record<
      string,
      { data_offsets?: [number, number] }
    >;
    const end = Math.max(...Object.values(header).map((tensor) => tensor.data_offsets?.[1] ?? 0));
    expect(8 + headerLength + end).toBe(model.byteLength);
    // Incompressible, as weights are.
    expect(
      zlib.deflateRawSync(model.subarray(8 + headerLength, 8 + headerLength + 1_000_000))
        .byteLength,
    ).toBeGreaterThan(990_000);

    const files = first.files;
    const dated = [...files].filter(([file]) =>
      /^local_data\/logs\/app-\d{4}-\d{2}-\d{2}\.log(\.gz)?$/.test(file),
    );
    expect(dated.length).toBeGreaterThanOrEqual(85);
    for (const [file, info] of dated) {
      const day = /(\d{4}-\d{2}-\d{2})/.exec(file)?.[1] ?? '';
      const dayStart = Date.parse(`${day}T00:00:00.000Z`);
      expect(info.mtimeMs, file).toBeGreaterThan(dayStart + 86_400_000 - 600_000);
      expect(info.mtimeMs, file).toBeLessThan(dayStart + 86_400_000);
    }
    const oldest = Math.min(...dated.map(([, info]) => info.mtimeMs));
    expect(NOW.getTime() - oldest).toBeGreaterThan(85 * 86_400_000);
    const gz = dated.find(([file]) => file.endsWith('.gz'));
    expect(gz).toBeDefined();
    const text = zlib
      .gunzipSync(fs.readFileSync(path.join(first.root, gz?.[0] ?? '')))
      .toString('utf8');
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z (INFO|DEBUG|WARN|ERROR)/);
    for (const info of files.values()) expect(info.mtimeMs).toBeLessThanOrEqual(NOW.getTime());
  });

  it('is deterministic: the same seed gives the same files, bytes and rows', () => {
    const a = first.files;
    const b = second.files;
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, info] of a) {
      const twin = b.get(file);
      expect(twin?.size, file).toBe(info.size);
      expect(twin?.mtimeMs, file).toBe(info.mtimeMs);
      if (file === DB) continue;
      expect(sha256(path.join(second.root, file)), file).toBe(sha256(path.join(first.root, file)));
    }
    expect(rowDigest(second.root)).toEqual(rowDigest(first.root));
    expect({ ...second.summary, root: '' }).toEqual({ ...first.summary, root: '' });
  });

  it('gives a different demo for a different seed', () => {
    const a = first.files;
    const c = other.files;
    expect([...c.keys()].sort()).not.toEqual([...a.keys()].sort());
    const digestA = rowDigest(first.root);
    const digestC = rowDigest(other.root);
    for (const table of ['documents', 'chunks', 'interactions'] as const)
      expect(digestC[table]).not.toBe(digestA[table]);
    const model = 'local_data/models/all-MiniLM-L6-v2/model.safetensors';
    expect(sha256(path.join(other.root, model))).not.toBe(sha256(path.join(first.root, model)));
  });

  it('reports progress from the planned totals to the final figures, at most every ~100 ms', () => {
    const { events, summary } = first;
    expect(events.length).toBeGreaterThanOrEqual(2);
    const start = events[0];
    expect(start).toMatchObject({ bytesDone: 0, filesDone: 0 });
    expect(start?.filesTotal).toBe(summary.files);
    expect(Math.abs((start?.bytesTotal ?? 0) - summary.bytes) / summary.bytes).toBeLessThan(0.25);
    const last = events.at(-1);
    expect(last).toEqual(
      expect.objectContaining({
        bytesDone: summary.bytes,
        bytesTotal: summary.bytes,
        filesDone: summary.files,
        filesTotal: summary.files,
        currentPath: null,
      }),
    );
    // Until the last report, which swaps estimates for measured sizes, totals hold still and
    // work only grows; reports are throttled.
    for (let i = 1; i < events.length - 1; i++) {
      const previous = events[i - 1] as DemoProgress & { at: number };
      const current = events[i] as DemoProgress & { at: number };
      expect(current.bytesTotal).toBe(previous.bytesTotal);
      expect(current.filesDone).toBeGreaterThanOrEqual(previous.filesDone);
      expect(current.bytesDone).toBeGreaterThanOrEqual(previous.bytesDone);
      expect(current.filesDone).toBeLessThanOrEqual(current.filesTotal);
      expect(current.bytesDone).toBeLessThanOrEqual(current.bytesTotal);
      expect(current.at - previous.at).toBeGreaterThanOrEqual(95);
    }
  });
});

describe('generateDemo refusals and cancellation', () => {
  it('refuses a root that holds anything (an old Tend’s .tend/ too), or does not exist', async () => {
    const tended = tempRoot();
    fs.mkdirSync(path.join(tended, '.tend'));
    await expect(generateDemo({ root: tended, size: 'small', seed: 1 })).rejects.toMatchObject({
      code: 'ROOT_NOT_EMPTY',
    });
    const root = tempRoot();
    fs.writeFileSync(path.join(root, 'notes.txt'), 'mine');
    await expect(generateDemo({ root, size: 'small', seed: 1 })).rejects.toMatchObject({
      code: 'ROOT_NOT_EMPTY',
    });
    await expect(generateDemo({ root, size: 'small', seed: 1 })).rejects.toThrow(/not empty/);
    expect(fs.readdirSync(root)).toEqual(['notes.txt']);

    const missing = path.join(tempRoot(), 'nope');
    await expect(generateDemo({ root: missing, size: 'small', seed: 1 })).rejects.toBeInstanceOf(
      TendFailure,
    );
    await expect(generateDemo({ root: missing, size: 'small', seed: 1 })).rejects.toMatchObject({
      code: 'ROOT_NOT_FOUND',
    });
  });

  it('stops with an AbortError when the signal fires mid-way, and when it already fired', async () => {
    const root = tempRoot();
    const controller = new AbortController();
    let after = 0;
    const started = performance.now();
    const outcome = generateDemo({
      root,
      size: 'small',
      seed: 5,
      signal: controller.signal,
      onProgress: (progress) => {
        after = progress.filesDone;
        if (progress.filesDone > 20) controller.abort();
      },
    });
    await expect(outcome).rejects.toMatchObject({ name: 'AbortError', code: 'CANCELLED' });
    expect(after).toBeLessThan(474);
    expect(performance.now() - started).toBeLessThan(10_000);
    // What was written stays; the caller removes the folder.
    expect(fs.readdirSync(root).length).toBeGreaterThan(0);

    const early = tempRoot();
    await expect(
      generateDemo({ root: early, size: 'small', seed: 5, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(fs.readdirSync(early)).toEqual([]);
  });
});
