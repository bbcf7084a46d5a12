/**
 * A data folder unlike the demo, for the backup and restore suites (issue 13): about 20,000
 * files, most of them small JSON memories, a few large ones (a model's weights, big logs) and
 * an SQLite store. The demo's files are fewer and larger; here the cost per file shows.
 *
 * Deterministic from its seed: the same seed writes the same bytes (the database's pages
 * aside: SQLite's own layout of the same rows), so figures from two runs compare.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SeededRandom } from '../src-main/engine/demo/random';
import { nativePaths as layout } from '../src-main/engine/profiles/native/native-paths';
import { benchCacheDir, log } from './support';

/** What the tree holds, by part. */
export const SMALL_FILES_SHAPE = {
  /** JSON memories of 0.2–4 KB, in month folders. */
  memories: 18_040,
  memoryFolders: 120,
  /** Markdown notes of 1–24 KB among the documents. */
  notes: 1_400,
  /** Small log files (disposable: not in a backup, but on the disk usage counts). */
  logs: 560,
  /** Large log files of 12 MiB. */
  bigLogs: 3,
  /** Float32 weights, barely compressible. */
  modelBytes: 128 * 1024 * 1024,
  /** Rows of the SQLite store, each with a 384-dimension embedding. */
  dbRows: 20_000,
} as const;

const TOPICS = ['travel', 'billing', 'garden', 'recipes', 'cluster', 'hiring', 'music', 'tax'];
const WORDS = [
  'prefers',
  'always',
  'morning',
  'summary',
  'invoice',
  'deploy',
  'reminder',
  'weekly',
  'concise',
  'Berlin',
  'allergy',
  'budget',
  'meeting',
  'draft',
  'review',
  'project',
];

function sentence(rng: SeededRandom, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(rng.pick(WORDS));
  return `${out.join(' ')}.`;
}

function writeFile(root: string, relative: string, data: string | Buffer, mtime: Date): void {
  const file = path.join(root, relative);
  fs.writeFileSync(file, data);
  fs.utimesSync(file, mtime, mtime);
}

/** Writes the tree into `root` (an empty folder). */
export function writeSmallFilesTree(root: string, seed: number): void {
  const rng = new SeededRandom(`small-files-${seed}`);
  const epoch = Date.UTC(2026, 0, 1);
  const day = 86_400_000;
  for (const folder of [
    layout.documents,
    layout.vectorStore,
    layout.models,
    layout.logs,
    layout.config,
  ]) {
    fs.mkdirSync(path.join(root, folder), { recursive: true });
  }

  const memoriesDir = `${layout.assistantDir}/memories`;
  for (let folder = 0; folder < SMALL_FILES_SHAPE.memoryFolders; folder++) {
    fs.mkdirSync(path.join(root, memoriesDir, `batch-${String(folder).padStart(3, '0')}`), {
      recursive: true,
    });
  }
  for (let i = 0; i < SMALL_FILES_SHAPE.memories; i++) {
    const r = rng.fork(`memory-${i}`);
    const folder = `batch-${String(i % SMALL_FILES_SHAPE.memoryFolders).padStart(3, '0')}`;
    const memory = {
      id: `mem-${seed}-${i}`,
      kind: r.pick(['preference', 'fact', 'instruction', 'profile']),
      topic: r.pick(TOPICS),
      content: sentence(r, r.int(8, 400)),
      importance: Math.round(r.float(0, 1) * 100) / 100,
      createdAt: new Date(epoch - r.int(0, 300) * day).toISOString(),
    };
    writeFile(
      root,
      `${memoriesDir}/${folder}/${memory.id}.json`,
      JSON.stringify(memory, null, 2),
      new Date(epoch - r.int(0, 300) * day),
    );
  }

  fs.mkdirSync(path.join(root, layout.documents, 'notes'), { recursive: true });
  for (let i = 0; i < SMALL_FILES_SHAPE.notes; i++) {
    const r = rng.fork(`note-${i}`);
    const lines: string[] = [`# ${r.pick(TOPICS)} note ${i}`, ''];
    const target = r.int(1024, 24 * 1024);
    let size = 0;
    while (size < target) {
      const line = sentence(r, r.int(6, 30));
      lines.push(line);
      size += line.length + 1;
    }
    writeFile(
      root,
      `${layout.documents}/notes/note-${i}.md`,
      lines.join('\n'),
      new Date(epoch - r.int(0, 300) * day),
    );
  }

  for (let i = 0; i < SMALL_FILES_SHAPE.logs + SMALL_FILES_SHAPE.bigLogs; i++) {
    const r = rng.fork(`log-${i}`);
    const big = i >= SMALL_FILES_SHAPE.logs;
    const target = big ? 12 * 1024 * 1024 : r.int(512, 64 * 1024);
    const lines: string[] = [];
    let size = 0;
    for (let n = 0; size < target; n++) {
      const line = `2026-01-${String((n % 28) + 1).padStart(2, '0')}T08:${String(n % 60).padStart(2, '0')}:00Z INFO ${r.pick(TOPICS)} request ${n} took ${r.int(1, 900)} ms`;
      lines.push(line);
      size += line.length + 1;
    }
    writeFile(
      root,
      `${layout.logs}/${big ? 'assistant' : 'session'}-${i}.log`,
      lines.join('\n'),
      new Date(epoch - i * 3_600_000),
    );
  }

  // Model weights: float32 values of a narrow normal-like spread, as trained weights are.
  const weights = Buffer.allocUnsafe(SMALL_FILES_SHAPE.modelBytes);
  const r = rng.fork('model');
  for (let at = 0; at < weights.length; at += 4) {
    weights.writeFloatLE((r.next() + r.next() + r.next() - 1.5) * 0.08, at);
  }
  fs.mkdirSync(path.join(root, layout.models, 'embedder'), { recursive: true });
  writeFile(root, `${layout.models}/embedder/model.safetensors`, weights, new Date(epoch));
  writeFile(
    root,
    `${layout.models}/embedder/config.json`,
    JSON.stringify({ dim: 384, layers: 6, vocab: 30522 }),
    new Date(epoch),
  );

  for (const name of ['assistant.json', 'profile.json', 'schedules.json']) {
    writeFile(
      root,
      `${layout.config}/${name}`,
      JSON.stringify({ name, seed }, null, 2),
      new Date(epoch),
    );
  }

  const db = new Database(path.join(root, layout.assistantDb));
  try {
    db.pragma('journal_mode = WAL');
    db.exec(
      'CREATE TABLE memories (id TEXT PRIMARY KEY, topic TEXT, content TEXT, embedding BLOB)',
    );
    const insert = db.prepare('INSERT INTO memories VALUES (?, ?, ?, ?)');
    const vector = new Float32Array(384);
    db.transaction(() => {
      for (let i = 0; i < SMALL_FILES_SHAPE.dbRows; i++) {
        const row = rng.fork(`row-${i}`);
        for (let d = 0; d < vector.length; d++) vector[d] = row.next() - 0.5;
        insert.run(
          `mem-${seed}-${i}`,
          row.pick(TOPICS),
          sentence(row, row.int(8, 60)),
          Buffer.from(vector.buffer),
        );
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * The small-files tree for a seed, written once and kept under .cache/bench/ like the demo
 * roots. Suites that change the tree must copy it first.
 */
export function smallFilesRoot(seed = 1): string {
  const root = path.join(benchCacheDir, `small-files-${seed}`);
  const done = path.join(benchCacheDir, `small-files-${seed}.done`);
  if (fs.existsSync(done)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  log(`writing the small-files tree to ${root} (once; later runs reuse it)`);
  writeSmallFilesTree(root, seed);
  fs.writeFileSync(done, new Date().toISOString());
  return root;
}
