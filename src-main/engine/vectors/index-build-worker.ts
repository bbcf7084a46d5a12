/**
 * The index worker: builds, extends and inspects HNSW indexes off the main thread, so a
 * rebuild of 100,000 vectors never stalls the UI or the searches that keep answering meanwhile.
 *
 * Note: this file is a worker entry (a second main entry in electron.vite.config.ts); it runs
 * one task per worker and posts progress, then its result.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';
import { openAssistantDb } from '../store/assistant-db';
import { exactSearch, recallOf, sampleRows, type Neighbour } from './exact-search';
import { checkIndexFile } from './index-check';
import { fsyncFile } from './index-file';
import { indexCapacityFor } from './index-capacity';
import type {
  BuildTask,
  ExtendTask,
  IndexWorkerMessage,
  IndexWorkerTask,
  InspectReport,
  InspectTask,
  WrittenIndex,
} from './index-worker-protocol';
import { countLiveChunks, iterateLiveVectors, readLiveVectors } from './live-vectors';

const { HierarchicalNSW } = hnswlib;

const TICK = 256;

function post(message: IndexWorkerMessage): void {
  parentPort?.postMessage(message);
}

function write(index: InstanceType<typeof HierarchicalNSW>, outFile: string): WrittenIndex {
  index.writeIndexSync(outFile);
  fsyncFile(outFile);
  return {
    count: index.getCurrentCount(),
    maxElements: index.getMaxElements(),
    bytes: fs.statSync(outFile).size,
  };
}

function build(task: BuildTask): WrittenIndex {
  const db = openAssistantDb(task.dbPath, { readonly: true });
  try {
    // One read transaction, so the count and the rows are the same snapshot.
    db.exec('BEGIN');
    const total = countLiveChunks(db, task.collection);
    const index = new HierarchicalNSW(task.space, task.dimension);
    index.initIndex(indexCapacityFor(total), task.m, task.efConstruction, task.seed);
    let done = 0;
    post({ type: 'progress', done, total });
    for (const { label, vector } of iterateLiveVectors(db, task.collection, task.dimension)) {
      if (done === index.getMaxElements()) index.resizeIndex(indexCapacityFor(done + 1));
      index.addPoint(Array.from(vector), label);
      done++;
      if (done % TICK === 0) post({ type: 'progress', done, total });
    }
    db.exec('COMMIT');
    index.setEf(task.ef);
    post({ type: 'progress', done, total });
    return write(index, task.outFile);
  } finally {
    db.close();
  }
}

function extend(task: ExtendTask): WrittenIndex {
  const index = new HierarchicalNSW(task.space, task.dimension);
  if (task.baseFile) {
    // Checked again here, right before hnswlib reads it: a bad file must not crash the process.
    const checked = checkIndexFile(task.baseFile, task.dimension);
    if (!checked.ok) throw new Error(`The index to extend is not sound: ${checked.reason}`);
    index.readIndexSync(task.baseFile);
  } else
    index.initIndex(indexCapacityFor(task.labels.length), task.m, task.efConstruction, task.seed);
  const total = task.labels.length;
  const needed = index.getCurrentCount() + total;
  // Grow when full: hnswlib refuses points past its capacity.
  if (needed > index.getMaxElements()) index.resizeIndex(indexCapacityFor(needed));
  for (let i = 0; i < total; i++) {
    const vector = task.values.subarray(i * task.dimension, (i + 1) * task.dimension);
    index.addPoint(Array.from(vector), task.labels[i]!);
    if ((i + 1) % TICK === 0) post({ type: 'progress', done: i + 1, total });
  }
  index.setEf(task.ef);
  return write(index, task.outFile);
}

function inspect(task: InspectTask): InspectReport {
  const db = openAssistantDb(task.dbPath, { readonly: true });
  let table;
  try {
    table = readLiveVectors(db, task.collection, task.dimension, task.space);
  } finally {
    db.close();
  }
  const liveChunks = table.labels.length;
  const checked = checkIndexFile(task.indexFile, task.dimension);
  if (!checked.ok) {
    return {
      loads: false,
      reason: checked.reason,
      liveChunks,
      indexDimension: checked.dimension ?? null,
    };
  }
  const index = new HierarchicalNSW(task.space, task.dimension);
  try {
    index.readIndexSync(task.indexFile);
  } catch (error) {
    return { loads: false, reason: (error as Error).message, liveChunks, indexDimension: null };
  }
  const live = new Set<number>(table.labels);
  const inIndex = new Set<number>();
  let deletedCount = 0;
  let orphans = 0;
  for (const label of index.getIdsList()) {
    inIndex.add(label);
    if (live.has(label)) continue;
    // hnswlib keeps deleted labels in its list but refuses to hand their vector out.
    try {
      index.getPoint(label);
      orphans++;
    } catch {
      deletedCount++;
    }
  }
  let missing = 0;
  for (const label of table.labels) if (!inIndex.has(label)) missing++;

  const rows = sampleRows(liveChunks, Math.min(task.sample, liveChunks));
  index.setEf(task.ef);
  let recallSum = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const query = table.values.subarray(row * task.dimension, (row + 1) * task.dimension);
    const k = Math.min(task.k, liveChunks);
    const exact = exactSearch(table, query, k);
    const found = index.searchKnn(Array.from(query), k);
    const approximate: Neighbour[] = found.neighbors.map((label, at) => ({
      label,
      distance: found.distances[at]!,
    }));
    recallSum += recallOf(exact, approximate);
    post({ type: 'progress', done: i + 1, total: rows.length });
  }
  return {
    loads: true,
    indexCount: index.getCurrentCount(),
    deletedCount,
    liveChunks,
    orphans,
    missing,
    indexDimension: index.getNumDimensions(),
    recall: rows.length === 0 ? null : recallSum / rows.length,
    recallSample: rows.length,
  };
}

function run(task: IndexWorkerTask): WrittenIndex | InspectReport {
  switch (task.kind) {
    case 'build':
      return build(task);
    case 'extend':
      return extend(task);
    case 'inspect':
      return inspect(task);
  }
}

// Index builds are background work: on Linux the nice value is per thread, so this worker
// yields the CPU to the main thread (UI, searches) without slowing the rest of the process.
// Elsewhere it would renice the whole process, so it is left alone.
if (process.platform === 'linux') {
  try {
    os.setPriority(10);
  } catch {
    // Not allowed here (a container without the capability): run at normal priority.
  }
}

try {
  post({ type: 'done', result: run(workerData as IndexWorkerTask) });
} catch (error) {
  post({ type: 'error', message: (error as Error)?.message ?? String(error) });
}
