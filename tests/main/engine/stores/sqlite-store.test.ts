import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { captureStore } from '../../../../src-main/engine/stores/capture-store';
import { checkDatabase } from '../../../../src-main/engine/stores/sqlite/sqlite-check';
import { parseSqliteHeader } from '../../../../src-main/engine/stores/sqlite/sqlite-header';
import {
  openReadOnly,
  withReadOnlyDatabase,
} from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import { snapshotDatabase } from '../../../../src-main/engine/stores/sqlite/sqlite-snapshot';
import {
  sqliteStore,
  writeDemoDatabase,
} from '../../../../src-main/engine/stores/sqlite/sqlite-store';
import { tempDir } from '../../../support/temp-dir';

function walDatabase(file: string, rows = 50): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (randomblob(2000))');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run();
  })();
  db.close();
}

const digest = (file: string) =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const companions = (dir: string) =>
  fs.readdirSync(dir).filter((name) => name.endsWith('-wal') || name.endsWith('-shm'));

describe('SQLite header', () => {
  const real = () => {
    const file = path.join(tempDir(), 'h.db');
    walDatabase(file, 1);
    return fs.readFileSync(file).subarray(0, 100);
  };

  it.each([
    ['a WAL database', (b: Buffer) => b, { ok: true, header: { pageSize: 4096, wal: true } }],
    ['a short file', (b: Buffer) => b.subarray(0, 40), { ok: false, reason: /40 bytes/ }],
    [
      'another file',
      (b: Buffer) => Buffer.concat([Buffer.from('PK\u0003\u0004'), b.subarray(4)]),
      { ok: false, reason: /SQLite header/ },
    ],
    [
      'an impossible page size',
      (b: Buffer) => {
        const copy = Buffer.from(b);
        copy.writeUInt16BE(1000, 16);
        return copy;
      },
      { ok: false, reason: /page size/ },
    ],
    [
      'a rollback-journal database',
      (b: Buffer) => {
        const copy = Buffer.from(b);
        copy[18] = 1;
        copy[19] = 1;
        return copy;
      },
      { ok: true, header: { wal: false } },
    ],
  ])('reads %s', (_name, change, expected) => {
    expect(parseSqliteHeader(change(real()))).toMatchObject(expected);
  });
});

describe('opening foreign databases read-only', () => {
  it('leaves no -wal or -shm behind, and the file as it was, after reading an idle WAL database', () => {
    const dir = tempDir();
    const file = path.join(dir, 'foreign.db');
    walDatabase(file);
    const before = { hash: digest(file), mtime: fs.statSync(file).mtimeMs };
    const count = withReadOnlyDatabase(file, (db) => {
      const n = (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
      // Reading made SQLite create the two files: they are what close must tidy.
      expect(companions(dir).sort()).toEqual(['foreign.db-shm', 'foreign.db-wal']);
      return n;
    });
    expect(count).toBe(50);
    expect(companions(dir)).toEqual([]);
    expect({ hash: digest(file), mtime: fs.statSync(file).mtimeMs }).toEqual(before);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    check.close();
  });

  it('leaves the files of an app that has the database open, and the app keeps working', () => {
    const dir = tempDir();
    const file = path.join(dir, 'busy.db');
    walDatabase(file);
    const app = new Database(file);
    app.pragma('wal_autocheckpoint = 0');
    app.prepare("INSERT INTO t (body) VALUES (x'00')").run();
    const handle = openReadOnly(file);
    expect((handle.db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(51);
    handle.close();
    handle.close();
    expect(companions(dir).sort()).toEqual(['busy.db-shm', 'busy.db-wal']);
    app.prepare("INSERT INTO t (body) VALUES (x'01')").run();
    expect((app.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(52);
    app.close();
    expect(companions(dir)).toEqual([]);
  });

  it('never switches a rollback-journal database to WAL', () => {
    const dir = tempDir();
    const file = path.join(dir, 'plain.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    withReadOnlyDatabase(file, (ro) => ro.prepare('SELECT * FROM t').all());
    expect(fs.readdirSync(dir)).toEqual(['plain.db']);
    expect(parseSqliteHeader(fs.readFileSync(file))).toMatchObject({ header: { wal: false } });
  });
});

describe('SQLite snapshots', () => {
  it('copy the WAL’s commits and ignore what a writer commits during the copy', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'live.db');
    walDatabase(file, 2000);
    const app = new Database(file);
    app.pragma('wal_autocheckpoint = 0');
    const insert = app.prepare('INSERT INTO t (body) VALUES (randomblob(100))');
    for (let i = 0; i < 25; i++) insert.run();
    // The 25 rows live only in the WAL now.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    const target = path.join(dir, 'snap.db');
    let steps = 0;
    const result = await snapshotDatabase(file, target, {
      onProgress: () => {
        steps++;
        insert.run();
      },
    });
    expect(steps).toBeGreaterThan(3);
    expect(result.bytes).toBe(fs.statSync(target).size);
    withReadOnlyDatabase(target, (snap) => {
      expect(snap.pragma('quick_check', { simple: true })).toBe('ok');
      expect((snap.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(2025);
    });
    expect((app.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(
      2025 + steps,
    );
    app.close();
  });

  it('removes the partial copy when aborted', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.db');
    walDatabase(file, 3000);
    const controller = new AbortController();
    const target = path.join(dir, 'snap.db');
    let calls = 0;
    await expect(
      snapshotDatabase(file, target, {
        signal: controller.signal,
        onProgress: () => {
          if (++calls === 3) controller.abort(new Error('stop'));
        },
      }),
    ).rejects.toThrow('stop');
    expect(fs.existsSync(target)).toBe(false);
    expect(companions(dir)).toEqual([]);
  });

  it('is what a capture plan of a database does', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'data', 'notes.db');
    await sqliteStore.writeDemo({ file }, { seed: 's1' });
    const plan = await sqliteStore.planCapture({ file });
    expect(plan.items).toEqual([
      { path: 'notes.db', bytes: fs.statSync(file).size, method: 'sqlite-snapshot' },
    ]);
    const out = path.join(dir, 'staging');
    const result = await captureStore(plan, out);
    expect(result.files).toBe(1);
    expect((await checkDatabase(path.join(out, 'notes.db'))).ok).toBe(true);
  });
});

describe('SQLite validation', () => {
  it('passes a sound database and names what is wrong with others', async () => {
    const dir = tempDir();
    const good = path.join(dir, 'good.db');
    writeDemoDatabase(good, 'x', 400);
    expect(await checkDatabase(good)).toMatchObject({
      ok: true,
      findings: [],
      facts: { tables: 1, wal: true },
    });

    const text = path.join(dir, 'text.db');
    fs.writeFileSync(text, 'not a database at all, just some text that is long enough '.repeat(4));
    expect((await checkDatabase(text)).findings).toMatchObject([
      { code: 'SQLITE_NOT_DATABASE', severity: 'problem', path: 'text.db' },
    ]);

    const damaged = path.join(dir, 'damaged.db');
    const bytes = fs.readFileSync(good);
    // Scribble over the second page, the table's b-tree root and its first leaves.
    bytes.fill(0xa5, 4096 + 8, 4096 * 3);
    fs.writeFileSync(damaged, bytes);
    const check = await checkDatabase(damaged, { full: true });
    expect(check.ok).toBe(false);
    expect(check.findings[0]).toMatchObject({ code: 'SQLITE_CORRUPT', path: 'damaged.db' });
    expect(check.findings[0]?.action).toMatch(/Restore/);

    expect((await checkDatabase(path.join(dir, 'gone.db'))).findings).toMatchObject([
      { code: 'FILE_MISSING', path: 'gone.db' },
    ]);
    expect(companions(dir)).toEqual([]);
  });

  it('writes the same demo for the same seed', () => {
    const dir = tempDir();
    writeDemoDatabase(path.join(dir, 'a.db'), 'seed');
    writeDemoDatabase(path.join(dir, 'b.db'), 'seed');
    writeDemoDatabase(path.join(dir, 'c.db'), 'other');
    expect(digest(path.join(dir, 'a.db'))).toBe(digest(path.join(dir, 'b.db')));
    expect(digest(path.join(dir, 'a.db'))).not.toBe(digest(path.join(dir, 'c.db')));
  });
});
