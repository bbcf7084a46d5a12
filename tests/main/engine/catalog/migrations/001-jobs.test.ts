import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateCatalog } from '../../../../../src-main/engine/catalog/catalog';
import { migration001Jobs } from '../../../../../src-main/engine/catalog/migrations/001-jobs';

describe('catalog migration 001: jobs', () => {
  it('creates the jobs table with its checks', () => {
    const db = new Database(':memory:');
    expect(migrateCatalog(db, [migration001Jobs])).toBe(1);
    const insert = db.prepare(
      `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at)
       VALUES (?, 'demo', 't', ?, 1, 'host:1', '{}', '2026-01-01')`,
    );
    insert.run('a', 'running');
    expect(() => insert.run('b', 'exploded')).toThrow(/CHECK/);
    expect(() => insert.run('a', 'queued')).toThrow(/UNIQUE/);
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'`)
      .all();
    expect(indexes.map((row) => (row as { name: string }).name)).toEqual(
      expect.arrayContaining(['jobs_by_created', 'jobs_by_state']),
    );
  });
});
