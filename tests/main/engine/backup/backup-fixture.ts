import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../../../../src-main/engine/engine';
import { openAssistantDb } from '../../../../src-main/engine/store/assistant-db';
import { tempDir, writeFile } from '../../../support/temp-dir';

/** A small root with one of everything a backup must treat right, and an engine on it. */
export async function backupFixture(options: { destination?: boolean } = {}) {
  const base = tempDir('tend-backup-');
  const root = path.join(base, 'root');
  const destination = path.join(base, 'dest');
  const files = {
    db: 'local_data/internal_assistant/assistant.db',
    document: 'local_data/internal_assistant/documents/notes/hello.md',
    index: 'local_data/internal_assistant/vector_store/notes/index.hnsw',
    model: 'local_data/models/mini/model.safetensors',
    config: 'config/settings.yaml',
    log: 'local_data/logs/app.log',
    cache: 'local_data/cache/tokens/a.bin',
    link: 'config/current.yaml',
    fifo: 'config/pipe',
    emptyFolder: 'local_data/internal_assistant/documents/empty',
  };
  writeFile(path.join(root, files.document), '# Hello\n'.repeat(2000));
  writeFile(path.join(root, files.index), randomBytes(300_000));
  writeFile(path.join(root, files.model), randomBytes(1_200_000));
  writeFile(path.join(root, files.config), 'model: mini\n');
  writeFile(path.join(root, files.log), 'log line\n');
  writeFile(path.join(root, files.cache), 'cache');
  fs.symlinkSync('settings.yaml', path.join(root, files.link));
  execFileSync('mkfifo', [path.join(root, files.fifo)]);
  fs.mkdirSync(path.join(root, files.emptyFolder), { recursive: true });
  const db = openAssistantDb(path.join(root, files.db), { create: true });
  const insert = db.prepare(
    `INSERT INTO memories (id, kind, content, created_at, updated_at) VALUES (?, 'note', ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < 500; i += 1) insert.run(`m${i}`, `memory ${i} `.repeat(20), 'now', 'now');
  })();
  db.close();

  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:open', { path: root });
  if (options.destination !== false) {
    const settings = await engine.call('settings:get');
    await engine.call('settings:set', {
      settings: { ...settings, backup: { ...settings.backup, destination } },
    });
  }
  return { base, root, destination, files, engine };
}

/** Runs GNU tar to extract an archive into a new folder; returns the folder. */
export function gnuExtract(archive: string, into: string): string {
  fs.mkdirSync(into, { recursive: true });
  execFileSync('tar', ['xzf', archive, '-C', into]);
  return into;
}
