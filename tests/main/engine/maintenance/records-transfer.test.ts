import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exportRecords,
  importRecords,
} from '../../../../src-main/engine/maintenance/records-transfer';
import { tempDir } from '../../../support/temp-dir';
import { addInteractions, makeAssistantDb } from './support';

function seedChats(root: string) {
  const db = makeAssistantDb(root);
  db.prepare(
    `INSERT INTO collections (id, name, dimension, space, created_at) VALUES ('c1', 'Notes, "quoted"', 4, 'cosine', '2026-01-01T00:00:00.000Z')`,
  ).run();
  db.prepare(
    `INSERT INTO chat_sessions VALUES ('s1', 'c1', 'First, chat', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`,
  ).run();
  db.prepare(
    `INSERT INTO chat_sessions VALUES ('s2', NULL, 'Empty', '2026-01-03T00:00:00.000Z', '2026-01-03T00:00:00.000Z')`,
  ).run();
  const msg = db.prepare(
    `INSERT INTO chat_messages (session_id, role, content, created_at) VALUES ('s1', ?, ?, ?)`,
  );
  msg.run('user', 'Hello,\nworld "x"', '2026-01-01T00:00:01.000Z');
  msg.run('assistant', 'Hi', '2026-01-01T00:00:02.000Z');
  return db;
}

describe('export and import of records', () => {
  it.each(['jsonl', 'csv'] as const)(
    'round-trips collections, chat sessions and interactions as %s',
    async (format) => {
      const source = seedChats(tempDir());
      addInteractions(source, '2026-01-01', 5);
      const target = makeAssistantDb(tempDir());
      const out = tempDir();
      for (const kind of ['collections', 'chat-sessions', 'interactions'] as const) {
        const file = path.join(out, `${kind}.${format}`);
        const exported = await exportRecords(source, kind, format, file, null);
        const imported = await importRecords(target, kind, format, file, null);
        expect(imported.records).toBe(exported.records);
      }
      const dump = (db: typeof source, sql: string) => db.prepare(sql).all();
      for (const sql of [
        'SELECT * FROM collections',
        'SELECT * FROM chat_sessions ORDER BY id',
        'SELECT session_id, role, content, created_at FROM chat_messages ORDER BY created_at',
        'SELECT session_id, timestamp, user_role, query, query_type, response_time_ms, response_length, success, user_rating, ip, created_at FROM interactions ORDER BY timestamp',
      ]) {
        expect(dump(target, sql)).toEqual(dump(source, sql));
      }
    },
  );

  it('a bad record stops the import with its line number and writes nothing', async () => {
    const db = makeAssistantDb(tempDir());
    const file = path.join(tempDir(), 'in.jsonl');
    const good = {
      session_id: 's',
      timestamp: '2026-01-01T10:00:00.000Z',
      user_role: 'dev',
      query: 'q',
      query_type: 'general',
      response_time_ms: 10,
      response_length: 5,
      success: 1,
      user_rating: null,
      ip: null,
      created_at: '2026-01-01T10:00:01.000Z',
    };
    fs.writeFileSync(
      file,
      [good, good, { ...good, user_rating: 9 }, good].map((r) => JSON.stringify(r)).join('\n'),
    );
    await expect(importRecords(db, 'interactions', 'jsonl', file, null)).rejects.toMatchObject({
      code: 'RECORD_INVALID',
      details: { line: 3 },
    });
    expect(db.prepare('SELECT count(*) AS n FROM interactions').get()).toEqual({ n: 0 });

    const csv = path.join(tempDir(), 'in.csv');
    fs.writeFileSync(
      csv,
      'id,name,dimension,space,m,ef_construction,ef_search,created_at\n' +
        'a,A,4,cosine,16,200,50,2026-01-01T00:00:00.000Z\n' +
        'b,B,4,manhattan,16,200,50,2026-01-01T00:00:00.000Z\n',
    );
    const error = await importRecords(db, 'collections', 'csv', csv, null).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RECORD_INVALID', details: { line: 3 } });
    expect((error as Error).message).toMatch(/line 3: space/);
    // A record the store refuses (the same id twice) is reported at its line too.
    fs.writeFileSync(
      csv,
      'id,name,dimension,space,m,ef_construction,ef_search,created_at\n' +
        'a,A,4,cosine,16,200,50,2026-01-01T00:00:00.000Z\n' +
        'a,B,4,cosine,16,200,50,2026-01-01T00:00:00.000Z\n',
    );
    await expect(importRecords(db, 'collections', 'csv', csv, null)).rejects.toMatchObject({
      details: { line: 3 },
    });
    expect(db.prepare('SELECT count(*) AS n FROM collections').get()).toEqual({ n: 0 });
  });
});
