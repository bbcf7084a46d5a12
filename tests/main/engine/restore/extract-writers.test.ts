/**
 * Issue 13, item 2: the verified extract writes files in writer threads (fs/file-writers.ts)
 * while the main thread reads, checks and hashes. The files must come out exactly as on the
 * main thread (bytes, mode, times), a file is announced only once written and matched, a hash
 * that differs still stops the extract, a writer's failure is the extract's, and nothing writes
 * into the target once the extract has settled.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractVerified } from '../../../../src-main/engine/restore/verified-extract';
import { tempDir } from '../../../support/temp-dir';
import { buildArchive, type SpecFile } from './support/archive-builder';

const docs = 'local_data/internal_assistant/documents';

/** Many small files in a few folders, an empty one, and large ones spanning several batches. */
function spec(): SpecFile[] {
  const files: SpecFile[] = [];
  for (let i = 0; i < 300; i++) {
    files.push({
      path: `${docs}/c${i % 7}/note-${i}.md`,
      content: `# note ${i}\n${'x'.repeat(i * 37)}\n`,
      mode: i % 3 === 0 ? 0o600 : 0o644,
      mtimeMs: Date.UTC(2026, 0, 1 + (i % 28), 12, 0, 0),
    });
  }
  files.push({ path: `${docs}/empty.md`, content: '' });
  files.push({ path: `${docs}/big/one.bin`, content: randomBytes(700 * 1024) });
  files.push({ path: `${docs}/big/two.bin`, content: randomBytes(3 * 1024 * 1024 + 17) });
  return files;
}

/** Each file under `root`: its bytes, mode and modification time. */
function snapshot(root: string, files: ReadonlyArray<SpecFile>) {
  return files.map((file) => {
    const absolute = path.join(root, file.path);
    const stat = fs.statSync(absolute);
    return {
      path: file.path,
      bytes: fs.readFileSync(absolute).toString('base64'),
      mode: stat.mode & 0o777,
      mtimeMs: Math.round(stat.mtimeMs),
    };
  });
}

describe('the extract with writer threads', () => {
  it('writes every file as the main thread does, and announces each once it is written', async () => {
    const base = tempDir('tend-writers-');
    const files = spec();
    const built = buildArchive(path.join(base, 'backups'), { files });
    const announced: string[] = [];
    const results = [];
    for (const writers of [0, 2]) {
      const target = path.join(base, `out-${writers}`);
      fs.mkdirSync(target);
      const result = await extractVerified({
        archivePath: built.archivePath,
        manifest: built.manifest,
        target,
        writers,
        signal: new AbortController().signal,
        onFileWritten: (relative, absolute) => {
          if (writers === 0) return;
          // Announced only once closed: the whole file is there.
          const listed = files.find((file) => file.path === relative)!;
          if (fs.readFileSync(absolute).equals(Buffer.from(listed.content)))
            announced.push(relative);
        },
      });
      expect(result.filesWritten).toBe(files.length);
      results.push(snapshot(target, files));
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[1]!.find((file) => file.path.endsWith('note-3.md'))?.mode).toBe(0o600);
    expect(announced.sort()).toEqual(files.map((file) => file.path).sort());
  });

  it('stops on a file whose hash differs, and nothing writes into the target afterwards', async () => {
    const base = tempDir('tend-writers-');
    const files = spec();
    const built = buildArchive(path.join(base, 'backups'), {
      files,
      // The same size, another byte: only the hash can tell.
      tamperEntries: (entries) =>
        entries.map((entry) => {
          if (!entry.header.path?.endsWith('note-150.md')) return entry;
          const data = Buffer.from(entry.data);
          data[0] = data[0]! ^ 1;
          return { ...entry, data };
        }),
    });
    const target = path.join(base, 'out');
    fs.mkdirSync(target);
    const announced: string[] = [];
    await expect(
      extractVerified({
        archivePath: built.archivePath,
        manifest: built.manifest,
        target,
        writers: 2,
        signal: new AbortController().signal,
        onFileWritten: (relative) => announced.push(relative),
      }),
    ).rejects.toMatchObject({ code: 'RESTORE_ARCHIVE_CORRUPT' });
    expect(announced).not.toContain(`${docs}/c3/note-150.md`);
    // The writers have stopped: the target, once removed, stays removed.
    fs.rmSync(target, { recursive: true, force: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(fs.existsSync(target)).toBe(false);
  });

  it("fails with the writer's error when a file cannot be created", async () => {
    const base = tempDir('tend-writers-');
    const files = spec();
    const built = buildArchive(path.join(base, 'backups'), { files });
    const target = path.join(base, 'out');
    // Something already at a path the archive writes: never replaced ('wx').
    fs.mkdirSync(path.join(target, docs, 'c5'), { recursive: true });
    fs.writeFileSync(path.join(target, docs, 'c5/note-40.md'), 'already here');
    await expect(
      extractVerified({
        archivePath: built.archivePath,
        manifest: built.manifest,
        target,
        writers: 2,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(fs.readFileSync(path.join(target, docs, 'c5/note-40.md'), 'utf8')).toBe('already here');
  });
});
