import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureStore } from '../../../../src-main/engine/stores/capture-store';
import {
  bufferSource,
  readFaissIndex,
} from '../../../../src-main/engine/stores/faiss/faiss-format';
import { faissStore, inspectFaissFile } from '../../../../src-main/engine/stores/faiss/faiss-store';
import { encodeIdMapIndex } from '../../../../src-main/engine/stores/faiss/faiss-writer';
import { pickleLooksWhole } from '../../../../src-main/engine/stores/pickle-bytes';
import { tempDir } from '../../../support/temp-dir';
import {
  faissUnavailable,
  readPickle,
  readWithFaiss,
  writeFaissFixtures,
  type WrittenIndex,
} from './faiss-python';

const unavailable = faissUnavailable();
if (unavailable) console.warn(`Real-FAISS tests skipped: ${unavailable}.`);

describe.skipIf(unavailable !== null)('FAISS files written by real FAISS', () => {
  let dir: string;
  let written: WrittenIndex[];

  beforeAll(() => {
    // Not tempDir(): that one is removed after each test, and these files serve them all.
    dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'tend-faiss-'));
    written = writeFaissFixtures(dir);
    return () => fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the type, dimension and vector count of every kind the seeds use', async () => {
    const expectedType: Record<string, string> = {
      IndexFlatL2: 'IndexFlatL2',
      IndexFlatIP: 'IndexFlatIP',
      IndexIDMap: 'IndexIDMap',
      IndexIDMap2: 'IndexIDMap2',
    };
    for (const index of written.filter((w) => expectedType[w.type])) {
      const read = await inspectFaissFile(path.join(dir, index.file));
      expect(read, index.file).toMatchObject({
        ok: true,
        info: {
          typeName: expectedType[index.type],
          dimension: index.d,
          vectors: index.ntotal,
          verified: true,
          mappedIds: index.type.startsWith('IndexIDMap'),
        },
      });
    }
    expect((await inspectFaissFile(path.join(dir, 'flat_ip.faiss'))).ok && true).toBe(true);
    expect(await inspectFaissFile(path.join(dir, 'idmap_ip.faiss'))).toMatchObject({
      info: { metric: 'inner-product' },
    });
  });

  it('reads the header of a type it does not walk, and says so', async () => {
    expect(await inspectFaissFile(path.join(dir, 'hnsw.faiss'))).toMatchObject({
      ok: false,
      defect: 'unsupported',
      info: { typeName: 'IndexHNSWFlat', dimension: 24, vectors: 30, verified: false },
    });
  });

  it('finds every cut of a real index, down to the first byte', async () => {
    for (const name of ['flat_l2.faiss', 'idmap2_l2.faiss', 'empty_l2.faiss']) {
      const bytes = fs.readFileSync(path.join(dir, name));
      // Every length short of the whole file, sampled densely near both ends.
      const lengths = new Set<number>();
      for (let n = 0; n < Math.min(bytes.length, 120); n++) lengths.add(n);
      for (let n = Math.max(0, bytes.length - 40); n < bytes.length; n++) lengths.add(n);
      for (let n = 0; n < bytes.length; n += 97) lengths.add(n);
      for (const length of lengths) {
        const read = await readFaissIndex(bufferSource(bytes.subarray(0, length)));
        expect(read, `${name} cut to ${length}`).toMatchObject({ ok: false, defect: 'truncated' });
      }
      expect(await readFaissIndex(bufferSource(bytes))).toMatchObject({ ok: true });
    }
  });

  it('validates a LangChain vector store and reports a FAISS file cut short by name', async () => {
    const store = path.join(tempDir(), 'vector_store');
    fs.cpSync(path.join(dir, 'vector_store'), store, { recursive: true });
    expect(await faissStore.validate({ dir: store, expectedVectors: 18 })).toMatchObject({
      ok: true,
      findings: [],
      facts: { index: { vectors: 18, dimension: 384, typeName: 'IndexFlatL2' } },
    });
    const file = path.join(store, 'index.faiss');
    fs.truncateSync(file, fs.statSync(file).size - 1000);
    const check = await faissStore.validate({ dir: store });
    expect(check.ok).toBe(false);
    expect(check.findings).toEqual([
      expect.objectContaining({
        code: 'FAISS_TRUNCATED',
        severity: 'problem',
        path: 'index.faiss',
        message: expect.stringContaining('cut short'),
        action: expect.stringContaining('Restore this vector store from a backup'),
      }),
    ]);
  });

  it('reports a missing or cut docstore and a count that disagrees with the app', async () => {
    const store = path.join(tempDir(), 'vector_store');
    fs.cpSync(path.join(dir, 'vector_store'), store, { recursive: true });
    expect(pickleLooksWhole(fs.readFileSync(path.join(store, 'index.pkl')))).toBe(true);
    expect((await faissStore.validate({ dir: store, expectedVectors: 20 })).findings).toMatchObject(
      [
        {
          code: 'FAISS_COUNT_MISMATCH',
          path: 'index.faiss',
          message: expect.stringContaining('18'),
        },
      ],
    );
    const pkl = path.join(store, 'index.pkl');
    fs.truncateSync(pkl, fs.statSync(pkl).size - 5);
    expect((await faissStore.validate({ dir: store })).findings).toMatchObject([
      { code: 'FAISS_TRUNCATED', path: 'index.pkl' },
    ]);
    fs.rmSync(pkl);
    expect((await faissStore.validate({ dir: store })).findings).toMatchObject([
      { code: 'FAISS_DOCSTORE_MISSING', path: 'index.pkl' },
    ]);
  });

  it('writes a demo that real FAISS and Python load, the same bytes for the same seed', async () => {
    const one = path.join(tempDir(), 'vector_store');
    const two = path.join(tempDir(), 'vector_store');
    await faissStore.writeDemo({ dir: one }, { seed: 's', vectors: 30 });
    await faissStore.writeDemo({ dir: two }, { seed: 's', vectors: 30 });
    expect(fs.readFileSync(path.join(one, 'index.faiss'))).toEqual(
      fs.readFileSync(path.join(two, 'index.faiss')),
    );
    expect(fs.readFileSync(path.join(one, 'index.pkl'))).toEqual(
      fs.readFileSync(path.join(two, 'index.pkl')),
    );
    // FAISS 1.7 hands a flat L2 index back as its base class, IndexFlat, with the L2 metric.
    expect(readWithFaiss(path.join(one, 'index.faiss'))).toEqual({
      type: readWithFaiss(path.join(dir, 'flat_l2.faiss')).type,
      d: 384,
      ntotal: 30,
      metric: 'l2',
    });
    expect(readPickle(path.join(one, 'index.pkl'))).toEqual({ rows: 30, docs: 30 });
    expect(await faissStore.validate({ dir: one, expectedVectors: 30 })).toMatchObject({
      ok: true,
    });
    // An IndexIDMap written the same way loads in FAISS too.
    const mapped = path.join(one, 'mapped.faiss');
    fs.writeFileSync(
      mapped,
      encodeIdMapIndex(
        { dimension: 4, values: new Float32Array(12).fill(0.5) },
        'inner-product',
        [7, 8, 9],
      ),
    );
    expect(readWithFaiss(mapped)).toEqual({
      type: 'IndexIDMap',
      d: 4,
      ntotal: 3,
      metric: 'inner-product',
    });
    expect(await inspectFaissFile(mapped)).toMatchObject({ ok: true, info: { vectors: 3 } });
  });

  it('captures the index and its docstore', async () => {
    const store = path.join(tempDir(), 'vector_store');
    fs.cpSync(path.join(dir, 'vector_store'), store, { recursive: true });
    const plan = await faissStore.planCapture({ dir: store });
    expect(plan.items.map((item) => item.path)).toEqual(['index.faiss', 'index.pkl']);
    const out = tempDir();
    await captureStore(plan, out);
    expect(readWithFaiss(path.join(out, 'index.faiss')).ntotal).toBe(18);
  });
});

describe('FAISS headers that are not FAISS', () => {
  it.each([
    ['zeros', Buffer.alloc(200)],
    ['text', Buffer.from('IxF2 this is not an index, only text that starts like one'.repeat(3))],
    [
      'an absurd dimension',
      (() => {
        const b = Buffer.alloc(100);
        b.write('IxF2', 0, 'latin1');
        b.writeInt32LE(-5, 4);
        b.writeBigInt64LE(1n << 20n, 16);
        b.writeBigInt64LE(1n << 20n, 24);
        return b;
      })(),
    ],
  ])('refuses %s as malformed', async (_name, bytes) => {
    expect(await readFaissIndex(bufferSource(bytes))).toMatchObject({
      ok: false,
      defect: 'malformed',
    });
  });
});
