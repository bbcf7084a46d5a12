import fs from 'node:fs';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { describe, expect, it } from 'vitest';
import { captureStore } from '../../../../src-main/engine/stores/capture-store';
import { demoLanceRows } from '../../../../src-main/engine/stores/lancedb/lancedb-demo';
import { lancedbStore } from '../../../../src-main/engine/stores/lancedb/lancedb-store';
import { listFiles } from '../../../../src-main/engine/stores/list-files';
import { tempDir } from '../../../support/temp-dir';

const tables = [
  { name: 'research', rows: 24 },
  { name: 'support-desk', rows: 9 },
];

async function demo() {
  const dir = path.join(tempDir(), 'lancedb');
  await lancedbStore.writeDemo({ dir }, { seed: 'lance', tables, dimension: 16 });
  return dir;
}

describe('the lancedb kind', () => {
  it('creates tables with LanceDB and counts their rows', async () => {
    const dir = await demo();
    // LanceDB 0.31 also keeps a `__manifest` of the folder's tables beside them.
    expect(
      fs
        .readdirSync(dir)
        .filter((name) => name.endsWith('.lance'))
        .sort(),
    ).toEqual(['research.lance', 'support-desk.lance']);
    const check = await lancedbStore.validate({
      dir,
      expectedTables: ['research', 'support-desk'],
      expectedRows: { research: 24, 'support-desk': 9 },
      deep: true,
    });
    expect(check).toMatchObject({
      ok: true,
      findings: [],
      facts: {
        tables: [
          { name: 'research', rows: 24 },
          { name: 'support-desk', rows: 9 },
        ],
      },
    });
  });

  it('writes the same rows for the same seed', async () => {
    const one = await demo();
    const db = await lancedb.connect(one);
    const table = await db.openTable('support-desk');
    const rows = (await table.query().toArray()).map((row) => ({ id: row.id, text: row.text }));
    table.close();
    db.close();
    expect(rows).toEqual(
      demoLanceRows('lance', 'support-desk', 9, 16).map((row) => ({ id: row.id, text: row.text })),
    );
  });

  it('reports a deleted table by name, with what to do', async () => {
    const dir = await demo();
    fs.rmSync(path.join(dir, 'support-desk.lance'), { recursive: true });
    const check = await lancedbStore.validate({
      dir,
      expectedTables: ['research', 'support-desk'],
    });
    expect(check.ok).toBe(false);
    expect(check.facts.tables).toEqual([{ name: 'research', rows: 24 }]);
    expect(check.findings).toEqual([
      expect.objectContaining({
        code: 'LANCE_TABLE_MISSING',
        severity: 'problem',
        path: 'support-desk.lance',
        message: expect.stringContaining('“support-desk” is missing'),
        action: expect.stringContaining('Restore support-desk.lance/ from a backup'),
      }),
    ]);
  });

  it('reports a table whose data files are gone, and a count the app disagrees with', async () => {
    const dir = await demo();
    fs.rmSync(path.join(dir, 'research.lance', 'data'), { recursive: true });
    const check = await lancedbStore.validate({
      dir,
      expectedRows: { 'support-desk': 10 },
      deep: true,
    });
    expect(check.findings.map((f) => [f.code, f.path])).toEqual([
      ['LANCE_TABLE_UNREADABLE', 'research.lance'],
      ['LANCE_ROWS_MISMATCH', 'support-desk.lance'],
    ]);
  });

  it('captures manifests before data files, and the copy opens', async () => {
    const dir = await demo();
    const plan = await lancedbStore.planCapture({ dir });
    const all = await listFiles(dir);
    expect(plan.items).toHaveLength(all.length);
    for (const table of ['research.lance', 'support-desk.lance']) {
      const own = plan.items.map((item) => item.path).filter((p) => p.startsWith(`${table}/`));
      const lastManifest = own.findLastIndex((p) => p.includes('/_versions/'));
      const firstData = own.findIndex((p) => p.includes('/data/'));
      expect(lastManifest).toBeGreaterThanOrEqual(0);
      expect(lastManifest).toBeLessThan(firstData);
    }
    const out = path.join(tempDir(), 'lancedb');
    await captureStore(plan, out);
    expect(
      await lancedbStore.validate({ dir: out, expectedRows: { research: 24, 'support-desk': 9 } }),
    ).toMatchObject({ ok: true });
  });
});
