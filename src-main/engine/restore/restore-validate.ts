/**
 * Checks a root after the swap (DESIGN §5, step 5): every SQLite file passes
 * `PRAGMA integrity_check`, assistant.db opens, and every collection's HNSW index loads, holds
 * exactly the collection's live chunks, and answers a test query.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import type { RestoreCheck } from '../../../src-shared/models/restore';
import { layout } from '../root/layout';
import { decodeEmbedding, listCollections, openAssistantDb } from '../store/assistant-db';
import { checkIndexFile } from '../vectors/index-check';
import { integrityCheckName } from './integrity-worker';

const { HierarchicalNSW } = hnswlib;

function integrity(file: string, relative: string): RestoreCheck {
  const name = integrityCheckName(relative);
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const ok = rows.length === 1 && rows[0]?.integrity_check === 'ok';
    return {
      name,
      ok,
      detail: ok
        ? 'ok'
        : rows
            .slice(0, 3)
            .map((row) => row.integrity_check)
            .join('; '),
    };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  } finally {
    db?.close();
  }
}

/**
 * Runs every check; the first that fails is the one a rollback reports.
 *
 * `prechecked` holds integrity checks already run (in a worker) on staged files that the swap
 * renamed into place unchanged; every other SQLite file is checked here.
 */
export async function validateRoot(
  root: string,
  sqliteFiles: ReadonlyArray<string>,
  prechecked: ReadonlyMap<string, Promise<RestoreCheck>> = new Map(),
): Promise<RestoreCheck[]> {
  const checks: RestoreCheck[] = [];
  const dbPath = path.join(root, layout.assistantDb);
  const databases = new Set(sqliteFiles);
  if (fs.existsSync(dbPath)) databases.add(layout.assistantDb);
  for (const relative of [...databases].sort()) {
    const done = prechecked.get(relative);
    if (done) checks.push(await done);
    else if (fs.existsSync(path.join(root, relative))) {
      checks.push(integrity(path.join(root, relative), relative));
    }
  }
  if (!fs.existsSync(dbPath)) return checks;

  let db: Database.Database;
  try {
    db = openAssistantDb(dbPath, { readonly: true });
    checks.push({ name: 'assistant.db opens', ok: true, detail: 'schema accepted' });
  } catch (error) {
    checks.push({ name: 'assistant.db opens', ok: false, detail: (error as Error).message });
    return checks;
  }
  try {
    let collections;
    let firstChunk;
    try {
      firstChunk = db.prepare(
        'SELECT id, embedding FROM chunks WHERE collection_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1',
      );
      collections = listCollections(db);
    } catch (error) {
      checks.push({ name: 'assistant.db reads', ok: false, detail: (error as Error).message });
      return checks;
    }
    for (const collection of collections) {
      const file = path.join(root, layout.vectorStore, collection.id, 'index.hnsw');
      const name = `index ${collection.id}`;
      if (!fs.existsSync(file)) {
        checks.push({
          name,
          ok: true,
          detail: 'no index file; the assistant builds it from assistant.db',
        });
        continue;
      }
      try {
        // hnswlib trusts its file: a corrupt one would crash the process, not throw.
        const checked = checkIndexFile(file, collection.dimension);
        if (!checked.ok) {
          checks.push({
            name,
            ok: false,
            detail: `the index file is not sound: ${checked.reason}`,
          });
          continue;
        }
        const index = new HierarchicalNSW(collection.space, collection.dimension);
        index.readIndexSync(file);
        const count = index.getCurrentCount();
        if (count !== collection.chunkCount) {
          checks.push({
            name,
            ok: false,
            detail: `the index holds ${count} vectors but assistant.db has ${collection.chunkCount} live chunks`,
          });
          continue;
        }
        const row = firstChunk.get(collection.id) as { id: number; embedding: Buffer } | undefined;
        if (!row) {
          checks.push({ name, ok: true, detail: 'loads; empty collection' });
          continue;
        }
        index.setEf(Math.max(collection.efSearch, 10));
        const result = index.searchKnn(
          Array.from(decodeEmbedding(row.embedding, collection.dimension)),
          Math.min(5, count),
        );
        const ok = result.neighbors.length > 0;
        checks.push({
          name,
          ok,
          detail: ok
            ? `loads, ${count} vectors match assistant.db, a test query returns ${result.neighbors.length} results`
            : 'a test query returned nothing',
        });
      } catch (error) {
        checks.push({ name, ok: false, detail: `does not load: ${(error as Error).message}` });
      }
    }
  } finally {
    db.close();
  }
  return checks;
}
