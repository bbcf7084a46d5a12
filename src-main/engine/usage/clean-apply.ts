import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { CleanItem, CleanPlan, CleanResult } from '../../../src-shared/models/usage';
import { renameDurably, syncFile } from '../fs/durable';
import type { JobContext } from '../jobs/job-runner';
import type { ProfiledRoot } from '../profiles/profiled-root';
import { confineToRoot } from '../root/confine';

/**
 * Why an item must be left alone now, or null when it is still exactly what the plan showed.
 *
 * Apply touches nothing the preview did not list, and nothing that changed since: a file that
 * grew, was rewritten, replaced by a link or turned irreplaceable is skipped with its reason.
 */
async function check(
  target: Pick<ProfiledRoot, 'path' | 'categorize' | 'cleanupPlaceOf'>,
  kind: CleanPlan['kind'],
  item: CleanItem,
): Promise<{ full: string; reason: null } | { full: null; reason: string }> {
  const root = target.path;
  const refuse = (reason: string) => ({ full: null, reason });
  if (item.action !== 'delete' && item.action !== 'gzip') {
    return refuse('this action runs on another page');
  }
  if (target.categorize(item.path) !== 'disposable') {
    return refuse('only disposable files are cleaned up');
  }
  if (target.cleanupPlaceOf(item.path)?.kind !== kind) {
    return refuse(`it is not in a place where the ${kind} cleanup may remove files`);
  }
  let full: string;
  try {
    full = await confineToRoot(root, item.path);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const stat = await fs.promises.lstat(full).catch(() => null);
  if (!stat) return refuse('it is already gone');
  if (!stat.isFile()) return refuse('it is no longer a regular file');
  if (stat.size !== item.bytes || stat.mtimeMs !== item.mtimeMs) {
    return refuse('it changed after the preview');
  }
  return { full, reason: null };
}

/** Gzips a file next to itself (temp name, fsync, rename), keeps its mtime, removes it. */
async function gzipInPlace(full: string, signal: AbortSignal): Promise<number> {
  const target = `${full}.gz`;
  if (fs.existsSync(target)) throw new Error(`${path.basename(target)} already exists`);
  const partial = `${target}.partial`;
  const before = await fs.promises.stat(full);
  try {
    await pipeline(
      fs.createReadStream(full),
      zlib.createGzip({ level: 6 }),
      fs.createWriteStream(partial, { flags: 'wx' }),
      { signal },
    );
    await fs.promises.utimes(partial, before.atime, before.mtime);
    await syncFile(partial);
    await renameDurably(partial, target);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  const written = (await fs.promises.stat(target)).size;
  await fs.promises.unlink(full);
  return Math.max(0, before.size - written);
}

/**
 * Carries out a plan: every listed file that is still as the preview showed it is deleted (or
 * gzipped); everything else is skipped with a reason. Runs inside a writing job.
 */
export async function applyCleanPlan(
  target: Pick<ProfiledRoot, 'path' | 'categorize' | 'cleanupPlaceOf'>,
  plan: CleanPlan,
  context: Pick<JobContext, 'signal' | 'progress' | 'throwIfCancelled'>,
): Promise<CleanResult> {
  const result: CleanResult = {
    planId: plan.id,
    kind: plan.kind,
    done: [],
    skipped: [],
    freedBytes: 0,
  };
  context.progress({
    bytesDone: 0,
    bytesTotal: plan.totalBytes,
    filesDone: 0,
    filesTotal: plan.items.length,
  });
  let bytesDone = 0;
  for (const [index, item] of plan.items.entries()) {
    context.throwIfCancelled();
    context.progress({ currentPath: item.path });
    const { full, reason } = await check(target, plan.kind, item);
    if (full === null) {
      result.skipped.push({ path: item.path, reason });
    } else {
      try {
        const freed =
          item.action === 'gzip'
            ? await gzipInPlace(full, context.signal)
            : await fs.promises.unlink(full).then(() => item.bytes);
        result.done.push({ path: item.path, action: item.action, freedBytes: freed });
        result.freedBytes += freed;
      } catch (error) {
        context.throwIfCancelled();
        result.skipped.push({ path: item.path, reason: (error as Error).message });
      }
    }
    bytesDone += item.bytes;
    context.progress({ bytesDone, filesDone: index + 1 });
  }
  return result;
}
