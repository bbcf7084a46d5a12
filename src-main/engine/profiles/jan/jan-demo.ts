/**
 * A demo Jan data folder: threads with thread.json and messages.jsonl as Jan writes them, the
 * default assistant, a downloaded model of the llama.cpp engine, extensions, logs and, as Jan
 * keeps them while the data folder has not moved, the vector database of a thread's
 * attachments under db/. The same seed writes the same bytes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DemoSize } from '../../../../src-shared/models/demo';
import { documentEmbeddings, topicCentroid } from '../../demo/demo-embeddings';
import { DEMO_TOPICS, paragraph, question, title } from '../../demo/demo-text';
import { DEFAULT_DEMO_NOW, daysBefore } from '../../demo/demo-time';
import { createByteStream, SeededRandom } from '../../demo/random';
import { tallyDemo } from '../demo-tally';
import { createDatabase } from '../../stores/sqlite/sqlite-open';
import type { ProfileDemo, ProfileDemoOptions } from '../profile';
import { ASSISTANT_FILE, janPaths as p, MESSAGES_FILE, THREAD_FILE } from './jan-paths';

const SIZES: Readonly<Record<DemoSize, { threads: number; modelBytes: number }>> = {
  small: { threads: 6, modelBytes: 128 * 1024 },
  medium: { threads: 40, modelBytes: 8 * 1024 * 1024 },
  large: { threads: 160, modelBytes: 64 * 1024 * 1024 },
};

const MODEL = 'Llama-3.2-1B-Instruct-Q4_K_M';

function uuid(rng: SeededRandom): string {
  const hex = rng.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

async function put(root: string, relative: string, bytes: string | Buffer): Promise<void> {
  const file = path.join(root, ...relative.split('/'));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
}

const ASSISTANT = {
  id: 'jan',
  avatar: '👋',
  name: 'Jan',
  description: 'Jan is a helpful desktop assistant that can reason through complex tasks.',
  instructions: 'You are a helpful AI assistant.',
  parameters: { temperature: 0.7, top_p: 0.95, stream: true },
  created_at: DEFAULT_DEMO_NOW.getTime() - 200 * 86_400_000,
};

/**
 * A thread's vector database as tauri-plugin-vector-db's db.rs `create_schema` makes it (files
 * and chunks; chunks_vec needs the sqlite-vec extension, so it is left out as Jan does when
 * the extension is not there), the embeddings little-endian f32 as `to_le_bytes_vec` writes them.
 */
function writeVectorDb(file: string, rng: SeededRandom, threadTitle: string): void {
  const db = createDatabase(file);
  try {
    db.exec(`
      CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, path TEXT UNIQUE NOT NULL, name TEXT, type TEXT, size INTEGER, chunk_count INTEGER DEFAULT 0);
      CREATE TABLE IF NOT EXISTS chunks (id TEXT PRIMARY KEY, text TEXT NOT NULL, embedding BLOB NOT NULL, file_id TEXT, chunk_file_order INTEGER, FOREIGN KEY (file_id) REFERENCES files(id));
      CREATE INDEX IF NOT EXISTS idx_chunks_id ON chunks(id);
      CREATE INDEX IF NOT EXISTS idx_chunks_file_id ON chunks(file_id);
      CREATE INDEX IF NOT EXISTS idx_chunks_file_order ON chunks(file_id, chunk_file_order);
    `);
    const topic = DEMO_TOPICS[0]!;
    const fileId = uuid(rng);
    const vectors = documentEmbeddings(rng.fork('vectors'), topicCentroid(rng.fork('c')), 8);
    db.transaction(() => {
      db.prepare(
        'INSERT INTO files (id, path, name, type, size, chunk_count) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        fileId,
        `/home/demo/Documents/${threadTitle}.pdf`,
        `${threadTitle}.pdf`,
        'application/pdf',
        48_213,
        vectors.length,
      );
      vectors.forEach((vector, i) => {
        db.prepare(
          'INSERT INTO chunks (id, text, embedding, file_id, chunk_file_order) VALUES (?, ?, ?, ?, ?)',
        ).run(
          uuid(rng),
          paragraph(rng, topic, 1),
          Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
          fileId,
          i,
        );
      });
    })();
  } finally {
    db.close();
  }
}

/** Writes the demo into `root` (Jan's data folder). */
async function writeDemo({ root, size, seed, signal, onProgress }: ProfileDemoOptions) {
  const counts = SIZES[size];
  const rng = new SeededRandom(`jan/${seed}`);
  await put(
    root,
    `${p.assistants}/jan/${ASSISTANT_FILE}`,
    `${JSON.stringify(ASSISTANT, null, 2)}\n`,
  );
  for (let t = 0; t < counts.threads; t++) {
    signal.throwIfAborted();
    const stream = rng.fork(`thread-${t}`);
    const topic = stream.pick(DEMO_TOPICS);
    const id = uuid(stream);
    const created = daysBefore(DEFAULT_DEMO_NOW, 90 - (t * 90) / counts.threads).getTime();
    const threadTitle = title(stream, topic);
    onProgress({ currentPath: `${p.threads}/${id}` });
    const messages: string[] = [];
    for (let m = 0; m < stream.int(2, 10); m++) {
      const user = m % 2 === 0;
      const text = user ? question(stream, topic) : paragraph(stream, topic, stream.int(1, 3));
      messages.push(
        JSON.stringify({
          id: stream.hex(26).toUpperCase(),
          object: 'thread.message',
          thread_id: id,
          assistant_id: user ? undefined : 'jan',
          role: user ? 'user' : 'assistant',
          content: [{ type: 'text', text: { value: text, annotations: [] } }],
          status: 'ready',
          created_at: created + m * 30_000,
          completed_at: created + m * 30_000 + 4_000,
          metadata: {},
        }),
      );
    }
    await put(root, `${p.threads}/${id}/${MESSAGES_FILE}`, `${messages.join('\n')}\n`);
    await put(
      root,
      `${p.threads}/${id}/${THREAD_FILE}`,
      `${JSON.stringify(
        {
          id,
          object: 'thread',
          title: threadTitle,
          assistants: [
            {
              assistant_id: 'jan',
              assistant_name: 'Jan',
              model: { id: MODEL, engine: 'llamacpp', settings: {}, parameters: {} },
              instructions: ASSISTANT.instructions,
            },
          ],
          created,
          updated: created + messages.length * 30_000,
          metadata: {},
        },
        null,
        2,
      )}\n`,
    );
    // The first thread had a document attached: its vector database.
    if (t === 0) {
      await fs.mkdir(path.join(root, p.vectorDbs), { recursive: true });
      writeVectorDb(
        path.join(root, p.vectorDbs, `attachments_${id}.db`),
        stream.fork('db'),
        threadTitle,
      );
    }
  }
  signal.throwIfAborted();
  onProgress({ currentPath: p.llamacppModels });
  await put(
    root,
    `${p.llamacppModels}/${MODEL}/model.yml`,
    `model_path: llamacpp/models/${MODEL}/model.gguf\nname: ${MODEL}\nsize_bytes: ${counts.modelBytes}\n`,
  );
  const gguf = Buffer.concat([
    Buffer.from([0x47, 0x47, 0x55, 0x46, 0x03, 0x00, 0x00, 0x00]),
    createByteStream(`jan/${seed}/model`)(counts.modelBytes - 8),
  ]);
  await put(root, `${p.llamacppModels}/${MODEL}/model.gguf`, gguf);
  await put(
    root,
    `${p.extensions}/extensions.json`,
    `${JSON.stringify({ '@janhq/conversational-extension': { version: '1.0.0', active: true } }, null, 2)}\n`,
  );
  await put(
    root,
    `${p.extensions}/@janhq/conversational-extension/dist/index.js`,
    'module.exports = {};\n',
  );
  const log = Array.from(
    { length: 40 },
    (_, i) =>
      `${daysBefore(DEFAULT_DEMO_NOW, 10 - i / 4).toISOString()} [INFO] [jan] model ${MODEL} loaded in ${800 + i} ms`,
  ).join('\n');
  await put(root, `${p.logs}/app.log`, `${log}\n`);

  const { files, bytes } = await tallyDemo(root, onProgress);
  return { root, files, bytes, threads: counts.threads };
}

/** The Jan demo (`tend demo --profile jan`). */
export const janDemo: ProfileDemo = { write: writeDemo };
