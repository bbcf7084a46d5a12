import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../../../../src-main/engine/engine';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import { tempDir } from '../../../support/temp-dir';

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` vectors around `clusters` random centres. */
export function clusteredVectors(count: number, dimension: number, seed = 1, clusters = 8) {
  const random = rng(seed);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: dimension }, () => random() * 2 - 1),
  );
  return Array.from({ length: count }, (_, i) =>
    centres[i % clusters]!.map((value) => value + (random() - 0.5) * 0.6),
  );
}

/** JSONL import lines: `perDocument` chunks per document. */
export function importLines(vectors: number[][], prefix = 'doc', perDocument = 4) {
  return vectors.map((embedding, i) => ({
    document: `${prefix}-${Math.floor(i / perDocument)}`,
    text: `chunk ${i} of ${prefix}`,
    embedding,
    metadata: { title: `Document ${Math.floor(i / perDocument)}` },
  }));
}

/** Writes lines (objects or raw strings) as a JSONL file. */
export function writeJsonl(file: string, lines: ReadonlyArray<unknown>): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n',
  );
  return file;
}

/** An engine on a fresh empty root. */
export async function engineWithRoot() {
  const base = tempDir('tend-vectors-');
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:create', { path: path.join(base, 'root') });
  return { base, engine, root: path.join(base, 'root') };
}

/** Waits for a job to end and returns it. */
export async function finished(engine: Engine, job: JobRecord): Promise<JobRecord> {
  return engine.requireSession().jobs.wait(job.id);
}

/** Imports vectors into a collection and expects success. */
export async function importVectors(
  engine: Engine,
  base: string,
  collection: string,
  vectors: number[][],
  prefix = 'doc',
) {
  const file = writeJsonl(
    path.join(base, `${collection}-${prefix}.jsonl`),
    importLines(vectors, prefix),
  );
  const job = await finished(engine, await engine.call('vectors:import', { collection, file }));
  if (job.state !== 'succeeded') throw new Error(`import ${job.state}: ${job.error?.message}`);
  return job;
}

/** The index file of a collection. */
export function indexFile(root: string, collection: string): string {
  return path.join(root, 'local_data/internal_assistant/vector_store', collection, 'index.hnsw');
}
