/**
 * A demo AnythingLLM storage folder: anythingllm.db with workspaces, their documents, the
 * vectors of each document, threads and chats (anythingllm-schema.ts); the parsed documents as
 * AnythingLLM's collector writes them; one LanceDB table per workspace, created by LanceDB
 * itself, holding exactly the vectors the database lists; the vector cache, a downloaded
 * embedder, logs and temporary files. The same seed writes the same rows (LanceDB names its own
 * data files at random, so those bytes differ).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DemoSize } from '../../../../src-shared/models/demo';
import { documentEmbeddings, topicCentroid } from '../../demo/demo-embeddings';
import { DEMO_TOPICS, paragraph, question, slugify, title } from '../../demo/demo-text';
import { DEFAULT_DEMO_NOW, daysBefore } from '../../demo/demo-time';
import { createByteStream, SeededRandom } from '../../demo/random';
import { tallyDemo } from '../demo-tally';
import { createDatabase } from '../../stores/sqlite/sqlite-open';
import type { ProfileDemo, ProfileDemoOptions } from '../profile';
import { anythingLlmPaths as p } from './anythingllm-paths';
import { ANYTHINGLLM_SCHEMA_SQL } from './anythingllm-schema';

const SIZES: Readonly<Record<DemoSize, { workspaces: number; documents: number; chats: number }>> =
  {
    small: { workspaces: 3, documents: 3, chats: 6 },
    medium: { workspaces: 5, documents: 10, chats: 30 },
    large: { workspaces: 8, documents: 30, chats: 120 },
  };

/** The embedder AnythingLLM runs itself (server/utils/EmbeddingEngines/native). */
const EMBEDDER = 'Xenova/all-MiniLM-L6-v2';

function uuid(rng: SeededRandom): string {
  const hex = rng.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Prisma's DateTime in SQLite: milliseconds since the epoch. */
const at = (days: number) => daysBefore(DEFAULT_DEMO_NOW, days).getTime();

async function put(root: string, relative: string, bytes: string | Buffer): Promise<void> {
  const file = path.join(root, ...relative.split('/'));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
}

/** Writes the demo into `root`. */
async function writeDemo({ root, size, seed, signal, onProgress }: ProfileDemoOptions) {
  const counts = SIZES[size];
  const rng = new SeededRandom(`anythingllm/${seed}`);
  const db = createDatabase(path.join(root, p.db));
  // Loaded when first used: LanceDB and Arrow cost every command's start-up otherwise.
  const lance = await (await import('@lancedb/lancedb')).connect(path.join(root, p.lancedb));
  try {
    db.exec(ANYTHINGLLM_SCHEMA_SQL);
    const insertWorkspace = db.prepare(
      `INSERT INTO workspaces (name, slug, createdAt, lastUpdatedAt, openAiTemp, chatMode)
       VALUES (?, ?, ?, ?, 0.7, 'chat')`,
    );
    const insertDocument = db.prepare(
      `INSERT INTO workspace_documents (docId, filename, docpath, workspaceId, metadata, createdAt, lastUpdatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertVector = db.prepare(
      'INSERT INTO document_vectors (docId, vectorId, createdAt, lastUpdatedAt) VALUES (?, ?, ?, ?)',
    );
    const insertThread = db.prepare(
      'INSERT INTO workspace_threads (name, slug, workspace_id, createdAt, lastUpdatedAt) VALUES (?, ?, ?, ?, ?)',
    );
    const insertChat = db.prepare(
      `INSERT INTO workspace_chats (workspaceId, prompt, response, thread_id, createdAt, lastUpdatedAt)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    // The last workspace was made and never given a document: it has no table.
    for (let w = 0; w < counts.workspaces; w++) {
      signal.throwIfAborted();
      const stream = rng.fork(`workspace-${w}`);
      const topic = DEMO_TOPICS[w % DEMO_TOPICS.length]!;
      const name = `${topic.id.charAt(0).toUpperCase()}${topic.id.slice(1)} ${w + 1}`;
      const slug = slugify(name, 40);
      onProgress({ currentPath: `${p.lancedb}/${slug}.lance` });
      const workspaceId = Number(
        insertWorkspace.run(name, slug, at(200 - w), at(200 - w)).lastInsertRowid,
      );
      const rows: Array<Record<string, unknown>> = [];
      const files: Array<[string, string]> = [];
      const empty = w === counts.workspaces - 1;
      db.transaction(() => {
        for (let d = 0; !empty && d < counts.documents; d++) {
          const doc = stream.fork(`document-${d}`);
          const heading = title(doc, topic);
          const docId = uuid(doc);
          const chunks = Array.from({ length: doc.int(2, 6) }, () => paragraph(doc, topic, 2));
          const filename = `${slugify(heading, 40)}.txt-${uuid(doc)}.json`;
          const docpath = `custom-documents/${filename}`;
          const published = new Date(at(150 - d)).toLocaleString('en-US', { timeZone: 'UTC' });
          const metadata = {
            id: uuid(doc),
            url: `file:///home/demo/Documents/${slugify(heading, 40)}.txt`,
            title: `${slugify(heading, 40)}.txt`,
            docAuthor: 'Unknown',
            description: 'Unknown',
            docSource: 'a text file uploaded by the user.',
            chunkSource: '',
            published,
            wordCount: chunks.join(' ').split(/\s+/).length,
            token_count_estimate: Math.round(chunks.join(' ').length / 4),
          };
          // collector/utils/files/index.js writeToServerDocuments: the metadata and pageContent.
          files.push([
            `${p.documents}/${docpath}`,
            JSON.stringify({ ...metadata, pageContent: chunks.join('\n\n') }, null, 4),
          ]);
          insertDocument.run(
            docId,
            filename,
            docpath,
            workspaceId,
            JSON.stringify(metadata),
            at(150 - d),
            at(150 - d),
          );
          const vectors = documentEmbeddings(
            doc.fork('vectors'),
            topicCentroid(stream.fork('centroid')),
            chunks.length,
          );
          chunks.forEach((text, c) => {
            const vectorId = uuid(doc);
            insertVector.run(docId, vectorId, at(150 - d), at(150 - d));
            // lance/index.js addDocumentToNamespace: { ...metadata, text, id, vector }.
            rows.push({
              id: vectorId,
              vector: Array.from(vectors[c]!),
              text,
              title: metadata.title,
              url: metadata.url,
              docSource: metadata.docSource,
              published,
              wordCount: metadata.wordCount,
            });
          });
        }
        const thread = Number(
          insertThread.run('Thread', uuid(stream), workspaceId, at(60), at(60)).lastInsertRowid,
        );
        for (let c = 0; c < counts.chats; c++) {
          insertChat.run(
            workspaceId,
            question(stream, topic),
            JSON.stringify({
              text: paragraph(stream, topic, stream.int(1, 3)),
              sources: [],
              type: 'chat',
            }),
            c % 2 === 0 ? thread : null,
            at(60 - c / 2),
            at(60 - c / 2),
          );
        }
      })();
      for (const [relative, content] of files) await put(root, relative, content);
      if (rows.length > 0) {
        const table = await lance.createTable(slug, rows, { mode: 'create' });
        table.close();
      }
    }
  } finally {
    lance.close();
    db.close();
  }

  signal.throwIfAborted();
  onProgress({ currentPath: p.vectorCache });
  for (let i = 0; i < 3; i++) {
    await put(
      root,
      `${p.vectorCache}/${uuid(rng.fork(`cache-${i}`))}.json`,
      JSON.stringify([[{ vectorDbRecords: [], values: [0.1, 0.2, 0.3] }]]),
    );
  }
  const model = `${p.models}/Xenova/all-MiniLM-L6-v2`;
  await put(root, `${model}/config.json`, JSON.stringify({ model_type: 'bert', hidden_size: 384 }));
  await put(
    root,
    `${model}/onnx/model_quantized.onnx`,
    createByteStream(`anythingllm/${seed}/embedder`)(160 * 1024),
  );
  await put(
    root,
    `${p.plugins}/anythingllm_mcp_servers.json`,
    `${JSON.stringify({ mcpServers: {} }, null, 2)}\n`,
  );
  await put(
    root,
    `${p.directUploads}/${uuid(rng.fork('upload'))}-notes.txt`,
    `${paragraph(rng.fork('upload-text'), DEMO_TOPICS[0]!, 3)}\n`,
  );
  const log = Array.from(
    { length: 30 },
    (_, i) =>
      `[${new Date(at(10 - i / 4)).toISOString()}] info: [NativeEmbedder] Embedded ${i + 1} chunks with ${EMBEDDER}`,
  ).join('\n');
  await put(root, `${p.logs}/anythingllm.log`, `${log}\n`);
  await put(
    root,
    `${p.tmp}/${uuid(rng.fork('tmp'))}.tmp`,
    createByteStream(`anythingllm/${seed}/tmp`)(8 * 1024),
  );

  const { files, bytes } = await tallyDemo(root, onProgress);
  return { root, files, bytes, workspaces: counts.workspaces };
}

/** The AnythingLLM demo (`tend demo --profile anythingllm`). */
export const anythingLlmDemo: ProfileDemo = { write: writeDemo };
