import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LocalBackend } from '../../../../src-main/engine/repository/local-backend';
import { Repository } from '../../../../src-main/engine/repository/repository';
import { writeFile } from '../../../support/temp-dir';
import { PASSWORD } from './restic-cli';

/** scrypt parameters small enough for tests (restic accepts any power of two above 1). */
export const FAST_KDF = { N: 1024, r: 8, p: 1 } as const;

export { hasRestic, PASSWORD, restic } from './restic-cli';

/** A new repository in a folder. */
export async function newRepository(folder: string): Promise<Repository> {
  return Repository.init(new LocalBackend(folder), PASSWORD, { kdf: FAST_KDF });
}

/** Flips bits of one byte of a stored pack (its files are read-only): a damaged blob. */
export function flipPackByte(repoDir: string, packId: string, offset: number): void {
  const packFile = path.join(repoDir, 'data', packId.slice(0, 2), packId);
  fs.chmodSync(packFile, 0o600);
  const bytes = fs.readFileSync(packFile);
  bytes.writeUInt8(bytes.readUInt8(offset) ^ 0x10, offset);
  fs.writeFileSync(packFile, bytes);
}

/** Deterministic pseudo-random bytes (xorshift), so large files are the same each run. */
export function noise(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i - (i + 4 > size ? i + 4 - size : 0));
  }
  return out;
}

/**
 * A small data folder with what a backup must handle: text, an empty file, a 3 MiB file cut by
 * FastCDC, a SQLite database, nested folders, a symlink, names with quotes, `<&>`, spaces
 * and non-Latin letters, and Tend's own `.tend/` (never backed up).
 */
export function writeSampleTree(root: string): void {
  writeFile(
    path.join(root, 'config/settings.json'),
    '{"theme":"dark","secret-marker":"PLAINTEXT-CANARY-7731"}\n',
  );
  writeFile(path.join(root, 'empty.txt'), '');
  writeFile(path.join(root, 'local_data/models/weights.bin'), noise(3 * 1024 * 1024 + 123, 7));
  writeFile(
    path.join(root, 'local_data/internal_assistant/documents/notes/a "quoted" <&> name.txt'),
    'quoted\n',
  );
  writeFile(
    path.join(root, 'local_data/internal_assistant/documents/notes/日本語 ファイル.md'),
    '# こんにちは\n',
  );
  writeFile(path.join(root, '.tend/catalog.db'), 'not backed up');
  fs.symlinkSync('config/settings.json', path.join(root, 'settings-link'));
  const db = new Database(path.join(root, 'local_data/internal_assistant/assistant.db'));
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`note ${i} ${'x'.repeat(i % 200)}`);
  })();
  db.close();
}

/** Every entry of a folder: files by SHA-256, links by target, folders; `.tend` left out. */
export function digestTree(
  root: string,
  skip: (relative: string) => boolean = (rel) => rel === '.tend',
): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const rel = prefix ? `${prefix}/${name}` : name;
      if (skip(rel)) continue;
      const full = path.join(dir, name);
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) out[rel] = `link:${fs.readlinkSync(full)}`;
      else if (stat.isDirectory()) {
        out[rel] = 'dir';
        walk(full, rel);
      } else out[rel] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(root, '');
  return out;
}

/** The rows of a SQLite database's table, to compare a database by content (a snapshot copy is not byte-identical). */
export function tableRows(file: string, table: string): unknown[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    expectIntegrity(db);
    return db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
  } finally {
    db.close();
  }
}

function expectIntegrity(db: Database.Database): void {
  const result = db.pragma('integrity_check', { simple: true });
  if (result !== 'ok') throw new Error(`integrity_check: ${String(result)}`);
}
