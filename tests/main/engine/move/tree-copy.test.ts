import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkMoveTree } from '../../../../src-main/engine/move/move-tree';
import { copyTree, type TreeCopyOptions } from '../../../../src-main/engine/move/tree-copy';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A source folder with small files, one over the small-file size, a link and a read-only file. */
function source(): { base: string; from: string; to: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-tree-copy-'));
  made.push(base);
  const from = path.join(base, 'from');
  fs.mkdirSync(path.join(from, 'docs', 'deep'), { recursive: true });
  for (let i = 0; i < 40; i++) {
    fs.writeFileSync(path.join(from, 'docs', `note-${i}.md`), `note ${i}\n`.repeat(i * 50));
  }
  fs.writeFileSync(path.join(from, 'docs', 'deep', 'empty.txt'), '');
  const large = Buffer.alloc(9 * 1024 * 1024 + 123);
  for (let i = 0; i < large.length; i += 4096) large[i] = i % 251;
  fs.writeFileSync(path.join(from, 'model.bin'), large);
  fs.writeFileSync(path.join(from, 'frozen.txt'), 'read only');
  fs.chmodSync(path.join(from, 'frozen.txt'), 0o444);
  fs.utimesSync(path.join(from, 'model.bin'), new Date('2024-01-02'), new Date('2024-01-02'));
  fs.symlinkSync('docs/note-1.md', path.join(from, 'latest.md'));
  const to = path.join(base, 'to');
  fs.mkdirSync(to);
  return { base, from, to };
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function copy(from: string, to: string, seam?: TreeCopyOptions['afterFileCopy']) {
  const tree = await walkMoveTree(from);
  return copyTree(from, to, tree, {
    signal: new AbortController().signal,
    onProgress: () => undefined,
    afterFileCopy: seam,
  });
}

describe('tree copy: every byte proven, modes and times kept', () => {
  it('copies small and large files, links and an empty file, the same bytes, modes and times', async () => {
    const { from, to } = source();
    const result = await copy(from, to);
    const tree = await walkMoveTree(from);
    expect(result.files).toBe(tree.files.length);
    for (const file of tree.files) {
      const copied = path.join(to, file.relative);
      expect(sha(copied), file.relative).toBe(sha(path.join(from, file.relative)));
      const stat = fs.statSync(copied);
      expect(stat.mode & 0o7777, file.relative).toBe(file.mode & 0o7777);
      expect(Math.abs(stat.mtimeMs - file.mtimeMs), file.relative).toBeLessThan(1);
    }
    expect(fs.readlinkSync(path.join(to, 'latest.md'))).toBe('docs/note-1.md');
  });

  it.each([['docs/note-7.md'], ['model.bin']])(
    'a copy damaged after it was written is caught by its SHA-256 (%s)',
    async (victim) => {
      const { from, to } = source();
      const before = sha(path.join(from, victim));
      const failure = copy(from, to, (relative) => {
        if (relative !== victim) return;
        // The disk gave back other bytes than were written: flip one in place.
        const fd = fs.openSync(path.join(to, relative), 'r+');
        const one = Buffer.alloc(1);
        fs.readSync(fd, one, 0, 1, 3);
        one[0] = one[0]! ^ 0xff;
        fs.writeSync(fd, one, 0, 1, 3);
        fs.closeSync(fd);
      });
      await expect(failure).rejects.toMatchObject({ code: 'MOVE_VERIFY_FAILED' });
      await expect(failure).rejects.toThrow(victim);
      expect(sha(path.join(from, victim))).toBe(before);
    },
  );

  it('a large file that changes while it is copied is copied again, with its new bytes', async () => {
    const { from, to } = source();
    const result = await copy(from, to, (relative, attempt) => {
      if (relative === 'model.bin' && attempt === 1) {
        fs.appendFileSync(path.join(from, relative), 'grown while copied');
      }
    });
    expect(result.recopied).toEqual(['model.bin']);
    expect(sha(path.join(to, 'model.bin'))).toBe(sha(path.join(from, 'model.bin')));
  });

  it('a file that never holds still: refused after three tries', async () => {
    const { from, to } = source();
    const failure = copy(from, to, (relative) => {
      if (relative === 'model.bin') fs.appendFileSync(path.join(from, relative), 'x');
    });
    await expect(failure).rejects.toMatchObject({ code: 'MOVE_SOURCE_CHANGED' });
  });

  it('a database with its WAL beside it goes through the backup API, the WAL folded in', async () => {
    const { from, to } = source();
    const file = path.join(from, 'app.db');
    const writer = new Database(file);
    try {
      writer.pragma('journal_mode = WAL');
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('CREATE TABLE notes (body TEXT)');
      const insert = writer.prepare('INSERT INTO notes (body) VALUES (?)');
      for (let i = 0; i < 200; i++) insert.run(`note ${i}`);
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
      const result = await copy(from, to);
      expect(result.databases).toEqual(['app.db']);
    } finally {
      writer.close();
    }
    expect(fs.existsSync(path.join(to, 'app.db-wal'))).toBe(false);
    const copied = new Database(path.join(to, 'app.db'), { readonly: true });
    try {
      expect(copied.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 200 });
    } finally {
      copied.close();
    }
  });
});
