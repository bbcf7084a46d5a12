/**
 * What every benchmark suite shares: timing a standard tool and our own code on the same tree
 * in the same run (bench/pairs.ts alternates them), and the demo roots they run on.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoSize } from '../src-shared/models/demo';
import { generateDemo } from '../src-main/engine/demo/demo-generator';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where benchmarks keep generated trees between runs (git-ignored). */
export const benchCacheDir = path.resolve(here, '..', '.cache', 'bench');

/** What one measured run took. */
export interface Measured {
  seconds: number;
  /** CPU time of the process and its children: user + system, in seconds. */
  cpuSeconds: number;
  /** Peak resident memory of the measured process, in bytes. */
  maxRssBytes: number;
}

/**
 * Runs a command under GNU time and returns its wall time, CPU time and peak memory. Throws
 * with its stderr when it fails.
 */
export async function timeCommand(
  command: string,
  args: ReadonlyArray<string>,
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdout?: string } = {},
): Promise<Measured> {
  const timeFile = path.join(os.tmpdir(), `tend-bench-time-${process.pid}-${Date.now()}`);
  const out = options.stdout ? fs.openSync(options.stdout, 'w') : 'ignore';
  const started = performance.now();
  const stderr: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', out, 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  if (typeof out === 'number') fs.closeSync(out);
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${code}): ${Buffer.concat(stderr)}`);
  }
  const [kib, user, system] = fs
    .readFileSync(timeFile, 'utf8')
    .trim()
    .split('\n')
    .at(-1)!
    .split(' ')
    .map(Number);
  fs.rmSync(timeFile, { force: true });
  return { seconds, cpuSeconds: user! + system!, maxRssBytes: kib! * 1024 };
}

/** Wall time of an async function in this process, in seconds. */
export async function timeIt<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

/**
 * A demo root of the given size, generated once and kept under .cache/bench/. Suites that
 * change the tree must copy it first.
 */
export async function demoRoot(size: DemoSize, seed = 1): Promise<string> {
  const root = path.join(benchCacheDir, `demo-${size}-${seed}`);
  const done = path.join(benchCacheDir, `demo-${size}-${seed}.done`);
  if (fs.existsSync(done)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  log(`writing a ${size} demo root to ${root} (once; later runs reuse it)`);
  await generateDemo({ root, size, seed, signal: new AbortController().signal, onProgress() {} });
  fs.writeFileSync(done, new Date().toISOString());
  return root;
}

/** A fresh empty folder under the bench cache, removed at the start of the next run. */
export function scratchDir(name: string): string {
  const dir = path.join(benchCacheDir, 'scratch', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Progress for the person watching; stdout carries only the JSON. */
export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** The load average over 1, 5 and 15 minutes: how busy the machine was. */
export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = os.loadavg();
  return [round(one!, 2), round(five!, 2), round(fifteen!, 2)];
}

/** A ratio rounded for reading. */
export function ratio(ours: number, theirs: number): number {
  return Math.round((ours / theirs) * 1000) / 1000;
}

/** Rounds seconds (or any figure) to milliseconds' precision for the JSON. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
