import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { categories } from '../../../../src-shared/models/categories';
import { anythingLlmLayout } from '../../../../src-main/engine/stores/layouts/anythingllm';
import { workspaceVectorCounts } from '../../../../src-main/engine/stores/layouts/anythingllm-vectors';
import { janLayout } from '../../../../src-main/engine/stores/layouts/jan';
import { ollamaLayout } from '../../../../src-main/engine/stores/layouts/ollama';
import { openWebuiLayout } from '../../../../src-main/engine/stores/layouts/open-webui';
import { uploadOrphanFindings } from '../../../../src-main/engine/stores/layouts/open-webui-uploads';
import { lancedbStore } from '../../../../src-main/engine/stores/lancedb/lancedb-store';
import { createDatabase } from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import { storeKindIds } from '../../../../src-main/engine/stores/store-kind';
import { tempDir, writeFile } from '../../../support/temp-dir';

describe('system layouts', () => {
  it.each([openWebuiLayout, anythingLlmLayout, ollamaLayout, janLayout])(
    '$name names a source for every fact',
    (layout) => {
      expect(layout.location.defaults.length).toBeGreaterThan(0);
      for (const entry of [...layout.location.defaults, ...layout.paths, ...layout.tables]) {
        expect(entry.source, JSON.stringify(entry)).toMatch(
          /\S+\.(py|go|js|rs|prisma)\b|docs\.|Dockerfile|Electron/,
        );
      }
      for (const entry of layout.paths) {
        expect(categories).toContain(entry.category);
        if (entry.store) expect(storeKindIds).toContain(entry.store);
      }
    },
  );
});

describe('Open WebUI uploads', () => {
  it('are orphans when no row of webui.db’s file table names them', async () => {
    const dataDir = tempDir();
    // The `file` table as Open WebUI's migrations leave it (models/files.py).
    const db = createDatabase(path.join(dataDir, 'webui.db'));
    db.exec(`CREATE TABLE file (
      id VARCHAR NOT NULL PRIMARY KEY, user_id VARCHAR, hash TEXT, filename TEXT, path TEXT,
      data JSON, meta JSON, access_control JSON, created_at BIGINT, updated_at BIGINT)`);
    const insert = db.prepare(
      'INSERT INTO file (id, user_id, filename, path, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('a1', 'u', 'report.pdf', '/app/backend/data/uploads/a1_report.pdf', '{}', 1, 1);
    // A row from before `path` was a column: found by the id prefix of the stored name.
    insert.run('b2', 'u', 'notes.md', null, '{"path": "/old/uploads/b2_notes.md"}', 1, 1);
    db.close();
    writeFile(path.join(dataDir, 'uploads', 'a1_report.pdf'), 'pdf bytes');
    writeFile(path.join(dataDir, 'uploads', 'b2_notes.md'), 'notes');
    writeFile(path.join(dataDir, 'uploads', 'c3_deleted-chat.png'), Buffer.alloc(5000, 1));
    expect(await uploadOrphanFindings(dataDir)).toEqual([
      {
        code: 'UPLOAD_ORPHAN',
        severity: 'reclaimable',
        path: 'uploads/c3_deleted-chat.png',
        bytes: 5000,
        message: expect.stringContaining('belongs to no file in webui.db'),
        action: expect.stringContaining('can be removed'),
      },
    ]);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['uploads', 'webui.db']);
  });
});

describe('AnythingLLM workspaces', () => {
  it('give each LanceDB table the rows it must hold, and a deleted table is missed', async () => {
    const storage = tempDir();
    // The tables of server/prisma/schema.prisma that tie workspaces to their vectors.
    const db = createDatabase(path.join(storage, 'anythingllm.db'));
    db.exec(`
      CREATE TABLE workspaces (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE);
      CREATE TABLE workspace_documents (id INTEGER PRIMARY KEY AUTOINCREMENT, docId TEXT NOT NULL UNIQUE,
        filename TEXT NOT NULL, docpath TEXT NOT NULL, workspaceId INTEGER NOT NULL REFERENCES workspaces(id));
      CREATE TABLE document_vectors (id INTEGER PRIMARY KEY AUTOINCREMENT, docId TEXT NOT NULL, vectorId TEXT NOT NULL);
    `);
    const workspace = db.prepare('INSERT INTO workspaces (name, slug) VALUES (?, ?)');
    const document = db.prepare(
      'INSERT INTO workspace_documents (docId, filename, docpath, workspaceId) VALUES (?, ?, ?, ?)',
    );
    const vector = db.prepare('INSERT INTO document_vectors (docId, vectorId) VALUES (?, ?)');
    const plan = { research: [10, 14], 'support-desk': [9], empty: [] as number[] };
    Object.entries(plan).forEach(([slug, documents], w) => {
      workspace.run(slug, slug);
      documents.forEach((vectors, d) => {
        const docId = `${slug}-doc-${d}`;
        document.run(docId, `${docId}.pdf`, `custom-documents/${docId}.json`, w + 1);
        for (let v = 0; v < vectors; v++) vector.run(docId, `${docId}-v${v}`);
      });
    });
    db.close();
    const counts = workspaceVectorCounts(storage);
    expect(counts).toEqual({ empty: 0, research: 24, 'support-desk': 9 });
    const dir = path.join(storage, 'lancedb');
    await lancedbStore.writeDemo(
      { dir },
      {
        seed: 'a',
        dimension: 8,
        tables: [
          { name: 'research', rows: 24 },
          { name: 'support-desk', rows: 9 },
        ],
      },
    );
    // AnythingLLM makes a workspace's table when it first embeds into it.
    const expectedTables = Object.keys(counts).filter((slug) => (counts[slug] ?? 0) > 0);
    expect((await lancedbStore.validate({ dir, expectedTables, expectedRows: counts })).ok).toBe(
      true,
    );
    fs.rmSync(path.join(dir, 'research.lance'), { recursive: true });
    expect(
      (await lancedbStore.validate({ dir, expectedTables, expectedRows: counts })).findings,
    ).toMatchObject([{ code: 'LANCE_TABLE_MISSING', path: 'research.lance' }]);
  });
});
