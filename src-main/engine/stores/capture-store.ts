/**
 * Carries out a capture plan: copies (or snapshots) a store's files into a staging folder, in
 * the plan's order, so that a backup archives a consistent copy rather than files in motion.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { CapturePlan, CaptureItem } from './capture-plan';
import { planBytes } from './capture-plan';
import type { StoreRunOptions } from './store-kind';
import { snapshotDatabase } from './sqlite/sqlite-snapshot';

/** What a capture copied. */
export interface CaptureResult {
  readonly files: number;
  readonly bytes: number;
}

/** Tries of a copy whose source changed while it was read. */
const COPY_ATTEMPTS = 3;
const CHUNK_BYTES = 1024 * 1024;

interface Identity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

const identityOf = (stat: { size: number; mtimeMs: number; ino: number }): Identity => ({
  size: stat.size,
  mtimeMs: stat.mtimeMs,
  ino: stat.ino,
});

const sameIdentity = (a: Identity, b: Identity) =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;

/**
 * Copies one file and checks it did not change meanwhile: the file at the path still has the
 * size, mtime and inode it had when the copy began, and exactly that many bytes were copied.
 * A file replaced by rename during the copy (an app's atomic write) is copied again.
 */
async function copyStable(
  source: string,
  target: string,
  onBytes: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<number> {
  for (let attempt = 1; attempt <= COPY_ATTEMPTS; attempt++) {
    signal?.throwIfAborted();
    const input = await fs.open(source, 'r');
    let copied = 0;
    let before: Identity;
    try {
      before = identityOf(await input.stat());
      const output = await fs.open(target, 'w');
      try {
        const buffer = Buffer.alloc(CHUNK_BYTES);
        for (;;) {
          signal?.throwIfAborted();
          const { bytesRead } = await input.read(buffer, 0, CHUNK_BYTES, copied);
          if (bytesRead === 0) break;
          await output.write(buffer, 0, bytesRead);
          copied += bytesRead;
          onBytes(bytesRead);
        }
        await output.sync();
      } finally {
        await output.close();
      }
    } finally {
      await input.close();
    }
    const after = identityOf(
      await fs.stat(source).catch(() => ({ size: -1, mtimeMs: -1, ino: -1 })),
    );
    if (copied === before.size && sameIdentity(before, after)) return copied;
    onBytes(-copied);
  }
  await fs.rm(target, { force: true });
  throw new TendFailure(
    'FILE_UNREADABLE',
    `${source} kept changing while it was copied (${COPY_ATTEMPTS} tries). Close the app that writes it, then back up again.`,
  );
}

/**
 * Takes a SQLite database's snapshot into `target` through the online backup API. The backup
 * hands in its worker-thread snapshot (backup/sqlite-snapshot.ts `snapshotSqlite`); the
 * default is stores/sqlite's, on the main thread.
 */
export type SnapshotDatabase = (
  source: string,
  target: string,
  signal: AbortSignal | undefined,
) => Promise<void>;

/** What `captureStore` takes besides the plan. */
export interface CaptureOptions extends StoreRunOptions {
  readonly snapshot?: SnapshotDatabase;
}

const mainThreadSnapshot: SnapshotDatabase = async (source, target, signal) => {
  await snapshotDatabase(source, target, { signal });
};

/** Captures every item of `plan` into `targetDir` (same relative paths), in the plan's order. */
export async function captureStore(
  plan: CapturePlan,
  targetDir: string,
  options: CaptureOptions = {},
): Promise<CaptureResult> {
  const total = planBytes(plan);
  let bytesDone = 0;
  let filesDone = 0;
  const report = (currentPath: string | null) =>
    options.onProgress?.({
      bytesDone,
      bytesTotal: total,
      filesDone,
      filesTotal: plan.items.length,
      currentPath,
    });
  for (const item of plan.items) {
    options.signal?.throwIfAborted();
    const source = path.join(plan.base, ...item.path.split('/'));
    const target = path.join(targetDir, ...item.path.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    report(item.path);
    bytesDone += await captureItem(item, source, target, options, (bytes) => {
      bytesDone += bytes;
      report(item.path);
    });
    filesDone++;
    report(null);
  }
  return { files: filesDone, bytes: bytesDone };
}

/** Captures one item; returns bytes not yet reported through `onBytes`. */
async function captureItem(
  item: CaptureItem,
  source: string,
  target: string,
  options: CaptureOptions,
  onBytes: (bytes: number) => void,
): Promise<number> {
  if (item.method === 'copy') {
    await copyStable(source, target, onBytes, options.signal);
    return 0;
  }
  await (options.snapshot ?? mainThreadSnapshot)(source, target, options.signal);
  const handle = await fs.open(target, 'r+');
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}
