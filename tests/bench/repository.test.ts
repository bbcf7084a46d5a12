import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  repositoryOptions,
  sameDatabaseBytes,
  sameTree,
  WALK_FLOOR_ARGS,
} from '../../bench/repository';
import { tempDir, writeFile } from '../support/temp-dir';

describe('repositoryOptions', () => {
  it.each([
    {
      argv: [],
      options: { sizes: ['small', 'medium'], pairs: 5, many: true, fromSources: false },
    },
    {
      argv: ['--only', 'repository'],
      options: { sizes: ['small', 'medium'], pairs: 5, many: true, fromSources: false },
    },
    {
      argv: ['medium', '--no-many'],
      options: { sizes: ['medium'], pairs: 5, many: false, fromSources: false },
    },
    {
      argv: ['--quick'],
      options: { sizes: ['small'], pairs: 3, many: false, fromSources: false },
    },
    {
      argv: ['--quick', '--pairs', '4', '--from-sources'],
      options: { sizes: ['small'], pairs: 4, many: false, fromSources: true },
    },
    {
      argv: ['--pairs', '1'],
      options: { sizes: ['small', 'medium'], pairs: 1, many: true, fromSources: false },
    },
  ])('$argv', ({ argv, options }) => {
    expect(repositoryOptions(argv)).toEqual(options);
  });

  it.each([['--pairs'], ['--pairs', '0'], ['--pairs', '2.5'], ['--pairs', 'many']])(
    'refuses %s',
    (...argv) => {
      expect(() => repositoryOptions(argv)).toThrow('--pairs takes a whole number');
    },
  );
});

/** A database whose schema changed many times, so its schema cookie is far from a new copy's. */
function busyDatabase(file: string): void {
  const db = new Database(file);
  for (let i = 0; i < 20; i++) db.exec(`CREATE TABLE t${i} (a); DROP TABLE t${i};`);
  db.exec('CREATE TABLE notes (body TEXT)');
  const insert = db.prepare('INSERT INTO notes VALUES (?)');
  for (let i = 0; i < 500; i++) insert.run(`note ${i}`.repeat(20));
  db.close();
}

describe('sameTree (the restore check of the repository suite)', () => {
  it('takes a database copied by the online backup API for the source, and nothing else', async () => {
    const source = tempDir();
    const restored = tempDir();
    writeFile(path.join(source, 'notes/a.txt'), 'kept');
    writeFile(path.join(restored, 'notes/a.txt'), 'kept');
    busyDatabase(path.join(source, 'store.db'));
    const db = new Database(path.join(source, 'store.db'), { readonly: true });
    await db.backup(path.join(restored, 'store.db'));
    db.close();
    const a = fs.readFileSync(path.join(source, 'store.db'));
    const b = fs.readFileSync(path.join(restored, 'store.db'));
    // The copy's header differs (so `diff -r` alone calls it different), its pages do not.
    expect(a.equals(b)).toBe(false);
    expect(sameDatabaseBytes(a, b)).toBe(true);
    expect(sameTree(source, restored)).toBe(true);

    // A byte of a page changed is a difference.
    const page = Buffer.from(b);
    const at = page.length - 10;
    page.writeUInt8(page.readUInt8(at) ^ 1, at);
    expect(sameDatabaseBytes(a, page)).toBe(false);
    fs.writeFileSync(path.join(restored, 'store.db'), page);
    expect(sameTree(source, restored)).toBe(false);
    fs.writeFileSync(path.join(restored, 'store.db'), b);

    // So are a header byte outside those fields, a file that is not a database, a missing file.
    const header = Buffer.from(b);
    header.writeUInt8(header.readUInt8(50) ^ 1, 50);
    expect(sameDatabaseBytes(a, header)).toBe(false);
    writeFile(path.join(restored, 'notes/a.txt'), 'kepT');
    expect(sameTree(source, restored)).toBe(false);
    writeFile(path.join(restored, 'notes/a.txt'), 'kept');
    expect(sameTree(source, restored)).toBe(true);
    fs.rmSync(path.join(restored, 'notes/a.txt'));
    expect(sameTree(source, restored)).toBe(false);
  });
});

describe('WALK_FLOOR_ARGS (the floor under an unchanged backup)', () => {
  it('makes GNU find list every entry with the fields change detection compares, one per NUL', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'sub dir'));
    fs.writeFileSync(path.join(root, 'sub dir', 'a file'), 'abc');
    fs.symlinkSync('a file', path.join(root, 'sub dir', 'link'));
    const run = spawnSync('find', WALK_FLOOR_ARGS, { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const entries = run.stdout.split('\0').filter(Boolean);
    const file = entries.find((entry) => entry.endsWith(' sub dir/a file'))!;
    // type, inode, device, links, size, owner, group, mode, mtime, ctime, then the path
    const fields = file.split(' ');
    expect(fields[0]).toBe('f');
    expect(Number(fields[1])).toBe(fs.statSync(path.join(root, 'sub dir', 'a file')).ino);
    expect(fields[4]).toBe('3');
    expect(entries.map((entry) => entry.split(' ').slice(10).join(' ')).sort()).toEqual([
      '',
      'sub dir',
      'sub dir/a file',
      'sub dir/link',
    ]);
  });
});
