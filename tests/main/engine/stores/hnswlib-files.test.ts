import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureStore } from '../../../../src-main/engine/stores/capture-store';
import { filesStore } from '../../../../src-main/engine/stores/files/files-store';
import { hnswlibStore } from '../../../../src-main/engine/stores/hnswlib/hnswlib-store';
import { tempDir } from '../../../support/temp-dir';

describe('the hnswlib kind', () => {
  it('describes a native index: derived from assistant.db, sound after its demo', async () => {
    expect(hnswlibStore.origin).toMatchObject({ kind: 'derived', from: 'assistant.db' });
    const dir = path.join(tempDir(), 'vector_store', 'notes');
    await hnswlibStore.writeDemo(
      { dir },
      { seed: 'h', collection: 'notes', vectors: 40, dimension: 24 },
    );
    expect(await hnswlibStore.validate({ dir })).toMatchObject({
      ok: true,
      findings: [],
      facts: { count: 40, meta: { collection: 'notes', dimension: 24 } },
    });
    const again = path.join(tempDir(), 'vector_store', 'notes');
    await hnswlibStore.writeDemo(
      { dir: again },
      { seed: 'h', collection: 'notes', vectors: 40, dimension: 24 },
    );
    expect(fs.readFileSync(path.join(again, 'index.hnsw'))).toEqual(
      fs.readFileSync(path.join(dir, 'index.hnsw')),
    );
  });

  it('reports a cut index and a missing index.json, with the rebuild to run', async () => {
    const dir = path.join(tempDir(), 'vector_store', 'notes');
    await hnswlibStore.writeDemo(
      { dir },
      { seed: 'h', collection: 'notes', vectors: 40, dimension: 24 },
    );
    const file = path.join(dir, 'index.hnsw');
    fs.truncateSync(file, fs.statSync(file).size - 50);
    expect((await hnswlibStore.validate({ dir })).findings).toEqual([
      expect.objectContaining({
        code: 'HNSW_INDEX_BROKEN',
        path: 'index.hnsw',
        message: expect.stringContaining('truncated'),
        action: expect.stringContaining('tend vectors compact notes'),
      }),
    ]);
    fs.rmSync(path.join(dir, 'index.json'));
    expect((await hnswlibStore.validate({ dir })).findings).toMatchObject([
      { code: 'HNSW_META_MISSING', path: 'index.json' },
    ]);
  });

  it('captures the index and its description', async () => {
    const dir = path.join(tempDir(), 'notes');
    await hnswlibStore.writeDemo(
      { dir },
      { seed: 'h', collection: 'notes', vectors: 10, dimension: 8 },
    );
    const plan = await hnswlibStore.planCapture({ dir });
    expect(plan.items.map((item) => item.path)).toEqual(['index.hnsw', 'index.json']);
    const out = tempDir();
    await captureStore(plan, out);
    expect((await hnswlibStore.validate({ dir: out })).ok).toBe(true);
  });
});

describe('the files kind', () => {
  it('reads every file and reports one that cannot be read', async () => {
    const dir = path.join(tempDir(), 'uploads');
    await filesStore.writeDemo({ dir }, { seed: 'f', files: 5 });
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'note.txt'), 'hello');
    const check = await filesStore.validate({ dir });
    expect(check).toMatchObject({ ok: true, facts: { files: 6 } });
    // A file that goes away while the folder is read cannot be read to its end.
    const last = fs
      .readdirSync(dir)
      .filter((name) => /\.(md|txt)$/.test(name))
      .sort()
      .at(-1)!;
    let removed = false;
    const again = await filesStore.validate(
      { dir },
      {
        onProgress: () => {
          if (removed) return;
          removed = true;
          fs.rmSync(path.join(dir, last));
        },
      },
    );
    expect(again.ok).toBe(false);
    expect(again.findings).toEqual([
      expect.objectContaining({
        code: 'FILE_UNREADABLE',
        path: last,
        message: expect.stringContaining('ENOENT'),
      }),
    ]);
  });

  it('captures every file, the same demo for the same seed', async () => {
    const one = path.join(tempDir(), 'docs');
    const two = path.join(tempDir(), 'docs');
    await filesStore.writeDemo({ dir: one }, { seed: 'f' });
    await filesStore.writeDemo({ dir: two }, { seed: 'f' });
    expect(fs.readdirSync(one)).toEqual(fs.readdirSync(two));
    const plan = await filesStore.planCapture({ dir: one });
    const out = tempDir();
    const result = await captureStore(plan, out);
    expect(result.files).toBe(6);
    for (const name of fs.readdirSync(one)) {
      expect(fs.readFileSync(path.join(out, name))).toEqual(fs.readFileSync(path.join(one, name)));
    }
  });
});
