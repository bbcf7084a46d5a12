/**
 * Real FAISS for the FAISS reader tests: Debian's python3-faiss, run through
 * tests/fixtures/faiss/faiss_fixtures.py with Debian's own Python (the python3 on PATH may be
 * another one without FAISS).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../fixtures/faiss/faiss_fixtures.py',
);

/** Why real FAISS cannot run here, or null when it can. */
export function faissUnavailable(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import faiss, numpy'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} cannot import faiss (apt-get install python3-faiss)`;
  return null;
}

function run(args: string[]): unknown {
  return JSON.parse(execFileSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8' }));
}

/** One index the fixture script wrote. */
export interface WrittenIndex {
  readonly file: string;
  readonly type: string;
  readonly d: number;
  readonly ntotal: number;
}

/** Writes the fixture indexes into `dir` with real FAISS. */
export function writeFaissFixtures(dir: string): WrittenIndex[] {
  return run(['write', dir]) as WrittenIndex[];
}

/** Loads an index with `faiss.read_index`. */
export function readWithFaiss(file: string): {
  type: string;
  d: number;
  ntotal: number;
  metric: string;
} {
  return run(['read', file]) as { type: string; d: number; ntotal: number; metric: string };
}

/** Loads a vector store's `index.pkl` with Python's pickle. */
export function readPickle(file: string): { rows: number; docs: number } {
  return run(['pickle', file]) as { rows: number; docs: number };
}
