import fs from 'node:fs';
import path from 'node:path';
import type { DemoSize, DemoSummary } from '../../../src-shared/models/demo';
import { TendFailure } from '../../../src-shared/errors';
import { nativePaths } from '../profiles/native/native-paths';
import { openAssistantDb } from '../store/assistant-db';
import { planCache } from './demo-cache';
import { planChatSessions } from './demo-chat';
import { planConfig } from './demo-config';
import {
  collectionParameters,
  estimateDatabaseBytes,
  writeDemoDatabase,
  type DemoDatabaseContent,
  type DemoDatabaseCounts,
} from './demo-database';
import { documentFiles, planDocuments } from './demo-documents';
import { DEMO_DIMENSION } from './demo-embeddings';
import { DemoFileWriter, setMtime } from './demo-file-writer';
import type { PlannedFile } from './demo-files';
import { planLeftovers } from './demo-leftovers';
import { planLegacy } from './demo-legacy';
import { planLogs } from './demo-logs';
import { planMemories } from './demo-memories';
import { planModels } from './demo-models';
import { demoProfile } from './demo-profile';
import { DemoProgressTracker, demoAbortError, type DemoProgress } from './demo-progress';
import { DEMO_TOPICS } from './demo-text';
import { DEFAULT_DEMO_NOW, daysBefore } from './demo-time';
import { estimateIndexBytes, writeVectorIndexes } from './demo-vector-index';
import { SeededRandom } from './random';

export type { DemoProgress } from './demo-progress';

/** What `generateDemo` needs. */
export interface GenerateDemoOptions {
  /** An existing, empty folder. */
  readonly root: string;
  readonly size: DemoSize;
  /** Same seed and size give the same files, byte for byte (assistant.db: the same rows). */
  readonly seed: number;
  readonly signal?: AbortSignal;
  /** Called at most about every 100 ms, first with the planned totals. */
  readonly onProgress?: (progress: DemoProgress) => void;
  /** The demo's "now": the newest timestamp and mtime. Default 2026-11-01T00:00:00Z. */
  readonly now?: Date;
}

/** How far back uploads, chats and memories go. */
const HISTORY_DAYS = 540;

/** Refuses a root that is missing, not a folder, or not empty. */
function checkRoot(root: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new TendFailure('ROOT_NOT_FOUND', `The folder ${root} does not exist. Create it first.`);
  }
  if (!stat.isDirectory()) {
    throw new TendFailure('ROOT_NOT_DIRECTORY', `${root} is not a folder.`);
  }
  const entries = fs.readdirSync(root, { withFileTypes: true });
  const others = entries.map((entry) => entry.name);
  if (others.length > 0) {
    const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ', …' : '');
    throw new TendFailure(
      'ROOT_NOT_EMPTY',
      `${root} is not empty (${shown}). A demo is only written into an empty folder; choose a new one.`,
      { entries: others.slice(0, 20) },
    );
  }
}

/**
 * Counts the files and bytes under the root and fixes every folder's
 * mtime, which the writes above kept moving, so archives of two demos match.
 */
function walkAndStamp(root: string, mtime: Date): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        visit(full);
        setMtime(full, mtime);
      } else if (entry.isFile()) {
        files++;
        bytes += fs.lstatSync(full).size;
      }
    }
  };
  visit(root);
  return { files, bytes };
}

/**
 * Writes a realistic, deterministic demo data root (DESIGN §7): collections with 384-dimension
 * embeddings and their HNSW indexes, documents, chats, months of analytics, logs old and new,
 * caches, model files, a legacy `data/` folder and some leftovers of crashed processes.
 *
 * Everything is planned first (so progress has totals), then written. The summary counts live
 * (not soft-deleted) documents and chunks, and every file under the root. On
 * abort it throws an error named 'AbortError' (a TendFailure with code CANCELLED) and leaves
 * what it wrote; the caller removes the folder.
 */
export async function generateDemo(options: GenerateDemoOptions): Promise<DemoSummary> {
  const { size, seed, signal, onProgress } = options;
  const now = options.now ?? DEFAULT_DEMO_NOW;
  if (!Number.isFinite(seed))
    throw new TendFailure('INVALID_INPUT', `The demo seed must be a number, not ${seed}.`);
  if (Number.isNaN(now.getTime()))
    throw new TendFailure('INVALID_INPUT', 'The demo "now" is not a valid date.');
  const root = path.resolve(options.root);
  checkRoot(root);
  if (signal?.aborted) throw demoAbortError();
  const profile = demoProfile(size);

  // Planning is synchronous work of up to a few seconds: give the event loop (and an abort)
  // a turn between its steps.
  const pause = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw demoAbortError();
  };
  const seedName = `tend-demo/${seed}`;
  const rng = new SeededRandom(seedName);
  const topics = DEMO_TOPICS.slice(0, profile.collections);
  const documents = planDocuments(rng.fork('documents'), profile, topics, now);
  const liveDocuments = documents.filter((doc) => doc.deletedAt === null);
  await pause();
  const content: DemoDatabaseContent = {
    rng: rng.fork('database'),
    topics,
    documents,
    memories: planMemories(rng.fork('memories'), profile.memories, topics, now, HISTORY_DAYS),
    chatSessions: planChatSessions(
      rng.fork('chats'),
      profile.chatSessions,
      topics,
      liveDocuments,
      now,
      HISTORY_DAYS,
    ),
    interactions: profile.interactions,
    now,
  };
  const files: PlannedFile[] = [
    ...planConfig(rng.fork('config'), topics, now),
    ...planModels(rng.fork('models'), profile, now, seedName),
    ...planLegacy(rng.fork('legacy'), profile, topics, now),
    ...documentFiles(documents),
  ];
  await pause();
  files.push(...planLogs(rng.fork('logs'), profile, now));
  await pause();
  files.push(
    ...planCache(rng.fork('cache'), profile, now),
    ...planLeftovers(
      rng.fork('leftovers'),
      topics.map((topic) => topic.id),
      now,
    ),
  );

  // The database and the indexes are estimated; everything else is known to the byte.
  const databaseBytes = estimateDatabaseBytes(content);
  let indexBytes = 0;
  topics.forEach((topic, i) => {
    const live = liveDocuments
      .filter((doc) => doc.collectionId === topic.id)
      .reduce((n, doc) => n + doc.chunks.length, 0);
    indexBytes += estimateIndexBytes(live, DEMO_DIMENSION, collectionParameters(i).m) + 300;
  });
  const progress = new DemoProgressTracker(
    {
      bytes: files.reduce((sum, file) => sum + file.bytes, 0) + databaseBytes + indexBytes,
      files: files.length + 1 + 2 * topics.length,
    },
    onProgress,
    signal,
  );
  progress.throwIfAborted();
  progress.start();

  const writer = new DemoFileWriter(root, progress);
  for (const file of files) await writer.write(file);

  writer.ensureDir(nativePaths.assistantDir);
  const databasePath = writer.absolute(nativePaths.assistantDb);
  progress.begin(nativePaths.assistantDb);
  const db = openAssistantDb(databasePath, { create: true });
  let counts: DemoDatabaseCounts;
  try {
    counts = await writeDemoDatabase(db, content, progress, databaseBytes);
    await writeVectorIndexes(db, writer, progress, daysBefore(now, 5 / 1440), seedName);
    // Fold the WAL into the main file so the root is one self-contained assistant.db.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  setMtime(databasePath, daysBefore(now, 1 / 1440));
  progress.fileDone();
  progress.throwIfAborted();

  const written = walkAndStamp(root, now);
  progress.finish(written);
  return {
    root,
    size,
    seed,
    files: written.files,
    bytes: written.bytes,
    collections: counts.collections,
    documents: counts.documents,
    chunks: counts.chunks,
    chatSessions: counts.chatSessions,
    interactions: counts.interactions,
  };
}
