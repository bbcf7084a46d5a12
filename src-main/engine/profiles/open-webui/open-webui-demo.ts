/**
 * A demo Open WebUI data folder: webui.db with users, chats, uploaded files and knowledge
 * bases (open-webui-schema.ts), the uploads those files name, a Chroma store holding one
 * collection per file and per knowledge base (named as Open WebUI names them), the downloaded
 * embedding and Whisper models, caches and the audit log. Like real installs it carries what
 * people find gigabytes of: uploads whose chat was deleted and a Chroma segment folder of a
 * deleted collection. The same seed writes the same data.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DemoSize } from '../../../../src-shared/models/demo';
import { DEMO_TOPICS, paragraph, question, sentence, slugify, title } from '../../demo/demo-text';
import { DEFAULT_DEMO_NOW, daysBefore } from '../../demo/demo-time';
import { createByteStream, SeededRandom } from '../../demo/random';
import { writeChromaDemo } from '../../stores/chroma/chroma-demo';
import { tallyDemo } from '../demo-tally';
import { createDatabase } from '../../stores/sqlite/sqlite-open';
import type { ProfileDemo, ProfileDemoOptions } from '../profile';
import { openWebuiPaths as p } from './open-webui-paths';
import { fileCollectionName, WEBUI_DEMO_REVISION, WEBUI_SCHEMA_SQL } from './open-webui-schema';

/** How much each size writes. */
const SIZES: Readonly<
  Record<
    DemoSize,
    { users: number; chats: number; files: number; knowledge: number; records: number }
  >
> = {
  small: { users: 2, chats: 8, files: 4, knowledge: 1, records: 8 },
  medium: { users: 3, chats: 40, files: 12, knowledge: 2, records: 16 },
  large: { users: 5, chats: 160, files: 40, knowledge: 4, records: 24 },
};

/** Where Open WebUI's container keeps DATA_DIR: file rows store upload paths as it saw them. */
const CONTAINER_DATA_DIR = '/app/backend/data';

function uuid(rng: SeededRandom): string {
  const hex = rng.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

interface DemoFile {
  readonly id: string;
  readonly name: string;
  readonly content: string;
  readonly userId: string;
  readonly at: number;
}

async function writeFileAt(root: string, relative: string, bytes: string | Buffer) {
  const file = path.join(root, ...relative.split('/'));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
}

/** Writes the demo into `root` (an empty folder). */
export async function writeOpenWebuiDemo({
  root,
  size,
  seed,
  signal,
  onProgress,
}: ProfileDemoOptions) {
  const counts = SIZES[size];
  const rng = new SeededRandom(`open-webui/${seed}`);
  const users = Array.from({ length: counts.users }, (_, i) => {
    const stream = rng.fork(`user-${i}`);
    return { id: uuid(stream), name: `User ${i + 1}`, email: `user${i + 1}@example.org` };
  });
  const files: DemoFile[] = Array.from({ length: counts.files }, (_, i) => {
    const stream = rng.fork(`file-${i}`);
    const topic = stream.pick(DEMO_TOPICS);
    const heading = title(stream, topic);
    return {
      id: uuid(stream),
      name: `${slugify(heading, 40)}.md`,
      content: `# ${heading}\n\n${paragraph(stream, topic, stream.int(4, 12))}\n`,
      userId: users[i % users.length]!.id,
      at: epoch(daysBefore(DEFAULT_DEMO_NOW, 120 - i * 2)),
    };
  });
  const knowledge = Array.from({ length: counts.knowledge }, (_, k) => {
    const stream = rng.fork(`knowledge-${k}`);
    const topic = DEMO_TOPICS[k % DEMO_TOPICS.length]!;
    return {
      id: uuid(stream),
      name: `${topic.id} notes`,
      description: sentence(stream, topic),
      fileIds: files.filter((_, i) => i % counts.knowledge === k).map((file) => file.id),
      userId: users[0]!.id,
      at: epoch(daysBefore(DEFAULT_DEMO_NOW, 100 - k)),
    };
  });

  signal.throwIfAborted();
  onProgress({ currentPath: p.uploads });
  for (const file of files) {
    await writeFileAt(root, `${p.uploads}/${file.id}_${file.name}`, file.content);
  }
  // Uploads of chats deleted since: no file row names them any more.
  const orphanUploads = [
    { name: `${uuid(rng.fork('orphan-0'))}_meeting-recording.m4a`, bytes: 256 * 1024 },
    { name: `${uuid(rng.fork('orphan-1'))}_screenshot.png`, bytes: 48 * 1024 },
  ];
  for (const orphan of orphanUploads) {
    await writeFileAt(
      root,
      `${p.uploads}/${orphan.name}`,
      createByteStream(`open-webui/${seed}/${orphan.name}`)(orphan.bytes),
    );
  }

  signal.throwIfAborted();
  onProgress({ currentPath: p.webuiDb });
  const db = createDatabase(path.join(root, p.webuiDb));
  try {
    db.exec(WEBUI_SCHEMA_SQL);
    db.transaction(() => {
      db.prepare('INSERT INTO alembic_version (version_num) VALUES (?)').run(WEBUI_DEMO_REVISION);
      const insertUser = db.prepare(
        `INSERT INTO user (id, name, email, role, profile_image_url, last_active_at, updated_at, created_at, settings, info)
         VALUES (?, ?, ?, ?, '/user.png', ?, ?, ?, '{"ui": {}}', NULL)`,
      );
      users.forEach((user, i) => {
        const at = epoch(daysBefore(DEFAULT_DEMO_NOW, 200 - i));
        insertUser.run(user.id, user.name, user.email, i === 0 ? 'admin' : 'user', at, at, at);
      });
      const insertFile = db.prepare(
        `INSERT INTO file (id, user_id, hash, filename, path, data, meta, access_control, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      );
      for (const file of files) {
        const bytes = Buffer.byteLength(file.content);
        insertFile.run(
          file.id,
          file.userId,
          crypto.createHash('sha256').update(file.content).digest('hex'),
          file.name,
          `${CONTAINER_DATA_DIR}/${p.uploads}/${file.id}_${file.name}`,
          JSON.stringify({ content: file.content }),
          JSON.stringify({
            name: file.name,
            content_type: 'text/markdown',
            size: bytes,
            collection_name: fileCollectionName(file.id),
          }),
          file.at,
          file.at,
        );
      }
      const insertKnowledge = db.prepare(
        `INSERT INTO knowledge (id, user_id, name, description, data, meta, access_control, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, NULL, '{}', ?, ?)`,
      );
      for (const base of knowledge) {
        insertKnowledge.run(
          base.id,
          base.userId,
          base.name,
          base.description,
          JSON.stringify({ file_ids: base.fileIds }),
          base.at,
          base.at,
        );
      }
      const insertChat = db.prepare(
        `INSERT INTO chat (id, user_id, title, chat, created_at, updated_at, share_id, archived, pinned, meta, folder_id)
         VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?, '{}', NULL)`,
      );
      for (let c = 0; c < counts.chats; c++) {
        const stream = rng.fork(`chat-${c}`);
        const topic = stream.pick(DEMO_TOPICS);
        const at = epoch(daysBefore(DEFAULT_DEMO_NOW, 90 - (c * 90) / counts.chats));
        const messages: Array<Record<string, unknown>> = [];
        let parent: string | null = null;
        for (let m = 0; m < stream.int(2, 8); m++) {
          const id = uuid(stream);
          const user = m % 2 === 0;
          messages.push({
            id,
            parentId: parent,
            childrenIds: [],
            role: user ? 'user' : 'assistant',
            content: user ? question(stream, topic) : paragraph(stream, topic, stream.int(1, 4)),
            timestamp: at + m * 30,
            ...(user ? { models: ['llama3.2:1b'] } : { model: 'llama3.2:1b' }),
          });
          parent = id;
        }
        messages.forEach((message, i) => {
          const next = messages[i + 1];
          if (next) message.childrenIds = [next.id];
        });
        const chatTitle = title(stream, topic);
        insertChat.run(
          uuid(stream),
          users[c % users.length]!.id,
          chatTitle,
          JSON.stringify({
            title: chatTitle,
            models: ['llama3.2:1b'],
            messages,
            history: {
              messages: Object.fromEntries(messages.map((message) => [message.id, message])),
              currentId: parent,
            },
            timestamp: at * 1000,
          }),
          at,
          at + 600,
          stream.chance(0.1) ? 1 : 0,
        );
      }
    })();
  } finally {
    db.close();
  }

  signal.throwIfAborted();
  onProgress({ currentPath: p.vectorDb });
  await writeChromaDemo(path.join(root, p.vectorDb), {
    seed: `open-webui/${seed}`,
    names: [
      ...files.map((file) => fileCollectionName(file.id)),
      ...knowledge.map((base) => base.id),
    ],
    records: counts.records,
    orphans: 1,
  });

  signal.throwIfAborted();
  onProgress({ currentPath: p.cache });
  const model = `${p.embeddingModels}/models--sentence-transformers--all-MiniLM-L6-v2`;
  const snapshot = rng.fork('embedding').hex(40);
  await writeFileAt(root, `${model}/refs/main`, snapshot);
  await writeFileAt(
    root,
    `${model}/snapshots/${snapshot}/config.json`,
    JSON.stringify({ architectures: ['BertModel'], hidden_size: 384, model_type: 'bert' }, null, 2),
  );
  await writeFileAt(
    root,
    `${model}/snapshots/${snapshot}/model.safetensors`,
    createByteStream(`open-webui/${seed}/embedding`)(192 * 1024),
  );
  await writeFileAt(
    root,
    `${p.whisperModels}/models--Systran--faster-whisper-base/snapshots/${rng.fork('whisper').hex(40)}/model.bin`,
    createByteStream(`open-webui/${seed}/whisper`)(128 * 1024),
  );
  // Caches fill over months: the age a file has tells cleanup whether it is past its limit.
  const aged = async (relative: string, bytes: string | Buffer, daysOld: number) => {
    await writeFileAt(root, relative, bytes);
    const when = daysBefore(DEFAULT_DEMO_NOW, daysOld);
    await fs.utimes(path.join(root, ...relative.split('/')), when, when);
  };
  for (let a = 0; a < 3; a++) {
    const id = rng.fork(`audio-${a}`).hex(64);
    const daysOld = [150, 120, 5][a]!;
    await aged(
      `${p.cache}/audio/speech/${id}.mp3`,
      createByteStream(`open-webui/${seed}/${id}`)(24 * 1024),
      daysOld,
    );
    await aged(
      `${p.cache}/audio/speech/${id}.json`,
      JSON.stringify({ input: sentence(rng, DEMO_TOPICS[a]!), model: 'tts-1' }),
      daysOld,
    );
  }
  await aged(
    `${p.cache}/image/generations/${uuid(rng.fork('image'))}.png`,
    createByteStream(`open-webui/${seed}/image`)(40 * 1024),
    200,
  );
  await aged(
    `${p.cache}/tiktoken/${rng.fork('tiktoken').hex(40)}`,
    createByteStream(`open-webui/${seed}/tiktoken`)(16 * 1024),
    300,
  );
  const audit = Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({
      id: uuid(rng.fork(`audit-${i}`)),
      timestamp: epoch(daysBefore(DEFAULT_DEMO_NOW, 30 - i / 2)),
      user: { id: users[i % users.length]!.id, name: users[i % users.length]!.name },
      audit_level: 'METADATA',
      verb: i % 3 === 0 ? 'POST' : 'GET',
      request_uri: i % 3 === 0 ? '/api/chat/completions' : '/api/v1/chats/',
      response_status_code: 200,
    }),
  ).join('\n');
  await writeFileAt(root, p.auditLog, `${audit}\n`);

  const tally = await tallyDemo(root, onProgress);
  return {
    root,
    files: tally.files,
    bytes: tally.bytes,
    chats: counts.chats,
    uploads: files.length,
    orphanUploads: orphanUploads.length,
    knowledgeBases: knowledge.length,
  };
}

/** The Open WebUI demo (`tend demo --profile open-webui`). */
export const openWebuiDemo: ProfileDemo = { write: writeOpenWebuiDemo };
