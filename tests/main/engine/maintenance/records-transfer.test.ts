import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exportRecords,
  importRecords,
} from '../../../../src-main/engine/maintenance/records-transfer';
import { tempDir } from '../../../support/temp-dir';
import { addInteractions, makeAssistantDb } from './support';

type Db = ReturnType<typeof makeAssistantDb>;
type Kind = Parameters<typeof importRecords>[1];
type Format = Parameters<typeof importRecords>[2];

/** Imports with no cold tier and no scrub salt yet (a fresh store). */
function importInto(db: Db, kind: Kind, format: Format, file: string, dryRun = false) {
  return importRecords(db, kind, format, file, null, {
    coldFolder: path.join(tempDir(), 'no-cold-tier'),
    salt: null,
    dryRun,
  });
}

const interaction = {
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
const INTERACTION_HEADER =
  'session_id,timestamp,user_role,query,query_type,response_time_ms,response_length,success,user_rating,ip,created_at';
const count = (db: Db, table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

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
        const imported = await importInto(target, kind, format, file);
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
    const good = interaction;
    fs.writeFileSync(
      file,
      [good, good, { ...good, user_rating: 9 }, good].map((r) => JSON.stringify(r)).join('\n'),
    );
    await expect(importInto(db, 'interactions', 'jsonl', file)).rejects.toMatchObject({
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
    const error = await importInto(db, 'collections', 'csv', csv).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RECORD_INVALID', details: { line: 3 } });
    expect((error as Error).message).toMatch(/line 3: column "space": Invalid option/);
    // A record the store refuses (the same id twice) is reported at its line too.
    fs.writeFileSync(
      csv,
      'id,name,dimension,space,m,ef_construction,ef_search,created_at\n' +
        'a,A,4,cosine,16,200,50,2026-01-01T00:00:00.000Z\n' +
        'a,B,4,cosine,16,200,50,2026-01-01T00:00:00.000Z\n',
    );
    await expect(importInto(db, 'collections', 'csv', csv)).rejects.toMatchObject({
      details: { line: 3 },
    });
    expect(db.prepare('SELECT count(*) AS n FROM collections').get()).toEqual({ n: 0 });
  });

  it.each(['jsonl', 'csv'] as const)(
    'importing the same %s file twice adds every record once, and a dry run counts what is new',
    async (format) => {
      const source = seedChats(tempDir());
      addInteractions(source, '2026-01-01', 5);
      const target = makeAssistantDb(tempDir());
      const out = tempDir();
      for (const kind of ['collections', 'chat-sessions', 'interactions'] as const) {
        const file = path.join(out, `${kind}.${format}`);
        const exported = await exportRecords(source, kind, format, file, null);
        const plan = await importInto(target, kind, format, file, true);
        expect(plan).toMatchObject({ dryRun: true, records: exported.records, skipped: 0 });
        expect(await importInto(target, kind, format, file)).toMatchObject({
          records: exported.records,
          skipped: 0,
        });
        expect(await importInto(target, kind, format, file)).toMatchObject({
          records: 0,
          skipped: exported.records,
        });
        // Back into the store it came from: nothing new either.
        expect(await importInto(source, kind, format, file)).toMatchObject({ records: 0 });
      }
      expect(count(target, 'interactions')).toBe(15);
      expect(count(target, 'chat_messages')).toBe(2);
      expect(count(source, 'interactions')).toBe(15);
    },
  );

  it('refuses a chat session or collection that is there with other content', async () => {
    const db = seedChats(tempDir());
    const file = path.join(tempDir(), 'chats.jsonl');
    await exportRecords(db, 'chat-sessions', 'jsonl', file, null);
    const changed = fs.readFileSync(file, 'utf8').replace('"content":"Hi"', '"content":"Hi there"');
    fs.writeFileSync(file, changed);
    await expect(importInto(db, 'chat-sessions', 'jsonl', file)).rejects.toMatchObject({
      code: 'RECORD_INVALID',
      message: expect.stringMatching(/line 1: a chat session "s1" exists with other content/),
    });
    expect(count(db, 'chat_messages')).toBe(2);
  });

  it('reads an empty numeric cell as a missing value and refuses 0x10, naming the column', async () => {
    const db = makeAssistantDb(tempDir());
    const csv = path.join(tempDir(), 'in.csv');
    const row = (cells: Partial<Record<string, string>>) =>
      INTERACTION_HEADER.split(',')
        .map(
          (column) =>
            cells[column] ?? String(interaction[column as keyof typeof interaction] ?? ''),
        )
        .join(',');
    const cases: Array<[Partial<Record<string, string>>, RegExp]> = [
      [{ response_time_ms: '' }, /line 2: column "response_time_ms": is empty: a missing value/],
      [{ response_length: '0x10' }, /line 2: column "response_length": must be a decimal number/],
      [{ response_time_ms: 'Infinity' }, /column "response_time_ms": must be a decimal number/],
      [{ success: '' }, /column "success": is empty/],
      [{ user_rating: '0x4' }, /column "user_rating": must be a decimal number/],
    ];
    for (const [cells, message] of cases) {
      fs.writeFileSync(csv, `${INTERACTION_HEADER}\n${row(cells)}\n`);
      const error = await importInto(db, 'interactions', 'csv', csv).catch((e: unknown) => e);
      expect(error, JSON.stringify(cells)).toMatchObject({ code: 'RECORD_INVALID' });
      expect((error as Error).message).toMatch(message);
    }
    // An empty rating is no rating (null), not a zero; a decimal cell is read as written.
    fs.writeFileSync(
      csv,
      `${INTERACTION_HEADER}\n${row({ user_rating: '', response_time_ms: '12.5', response_length: '007' })}\n`,
    );
    await importInto(db, 'interactions', 'csv', csv);
    expect(
      db.prepare('SELECT user_rating, response_time_ms, response_length FROM interactions').get(),
    ).toEqual({ user_rating: null, response_time_ms: 12.5, response_length: 7 });
  });

  it('names a missing CSV column instead of "received undefined"', async () => {
    const db = makeAssistantDb(tempDir());
    const csv = path.join(tempDir(), 'in.csv');
    const header = INTERACTION_HEADER.replace(',response_length', '');
    fs.writeFileSync(csv, `${header}\n`);
    const error = await importInto(db, 'interactions', 'csv', csv).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RECORD_INVALID', details: { line: 1 } });
    expect((error as Error).message).toMatch(/line 1: the header has no column "response_length"/);
    expect((error as Error).message).not.toMatch(/undefined/);
  });

  it('names the line and the problem of a file that is not what it should be, never its content', async () => {
    const db = makeAssistantDb(tempDir());
    const dir = tempDir();
    const secret = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY';
    const csv = path.join(dir, 'env.csv');
    fs.writeFileSync(csv, `${secret}\nAWS_REGION=eu-west-1\n`);
    const jsonl = path.join(dir, 'env.jsonl');
    fs.writeFileSync(jsonl, `${secret}\n`);
    const unknownKey = path.join(dir, 'keys.jsonl');
    fs.writeFileSync(unknownKey, `${JSON.stringify({ ...interaction, [secret]: 1 })}\n`);
    for (const [file, format, message] of [
      [csv, 'csv', /line 1: the header has 1 unknown column and no column "session_id"/],
      [jsonl, 'jsonl', /line 1: not valid JSON/],
      [unknownKey, 'jsonl', /line 1: 1 unknown field\(s\)/],
    ] as const) {
      const error = await importInto(db, 'interactions', format, file).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'RECORD_INVALID' });
      expect((error as Error).message).toMatch(message);
      expect(JSON.stringify(error) + (error as Error).message).not.toMatch(/AWS|wJalr|eu-west/);
    }
  });

  it('reads a JSON Lines file that starts with a byte order mark', async () => {
    const db = makeAssistantDb(tempDir());
    const file = path.join(tempDir(), 'bom.jsonl');
    fs.writeFileSync(file, `\uFEFF${JSON.stringify(interaction)}\n`);
    expect(await importInto(db, 'interactions', 'jsonl', file)).toMatchObject({ records: 1 });
  });
});
