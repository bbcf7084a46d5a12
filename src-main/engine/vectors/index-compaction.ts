/**
 * Compaction: an index rebuilt from assistant.db in a worker into a temp file, then swapped
 * in, one job per collection at a time. Searches answer from the old index in memory until
 * the swap.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { CompactionRecord } from '../../../src-shared/models/vectors';
import type { JobContext } from '../jobs/job-runner';
import { requireCollection, withStore } from './collection-store';
import { fsyncDir, indexPaths, readIndexMeta, temporaryIndexPath } from './index-file';
import { seedFor, shapeOf } from './index-shape';
import { writeInWorker } from './index-worker-client';
import type { VectorRoot } from './vector-root';
import { recordCompaction } from './vectors-records';

/** The compactions of one root's collections. */
export class IndexCompactions {
  /** Running compaction jobs by collection, so a second request joins the first. */
  private readonly jobs = new Map<string, JobRecord>();

  constructor(private readonly root: VectorRoot) {}

  /** The compaction queued or running for a collection, if any. */
  running(collection: string): JobRecord | null {
    const running = this.jobs.get(collection);
    if (!running) return null;
    const current = this.root.session.jobs.get(running.id);
    return current.state === 'queued' || current.state === 'running' ? current : null;
  }

  /** Starts a compaction, or returns the one already running for this collection. */
  start(collection: string, reason: string): JobRecord {
    const running = this.running(collection);
    if (running) return running;
    const jobs = this.root.session.jobs;
    const job = jobs.start({
      kind: 'vectors-compact',
      title: `Compact the index of ${collection}`,
      writesRoot: true,
      run: (context) => this.rebuild(collection, reason, context),
    });
    this.jobs.set(collection, job);
    // Forget it however it ends, also when it never ran (the data lock was refused).
    void jobs.wait(job.id).finally(() => {
      if (this.jobs.get(collection)?.id === job.id) this.jobs.delete(collection);
    });
    return job;
  }

  /**
   * Rebuilds an index from assistant.db in a worker into a temp file, then swaps it in.
   * Searches answer from the old index in memory until the swap. Runs inside a writing job.
   */
  async rebuild(
    collectionId: string,
    reason: string,
    context: JobContext,
  ): Promise<CompactionRecord> {
    const { session, dbPath } = this.root;
    const collection = withStore(dbPath, (db) => requireCollection(db, collectionId));
    const paths = indexPaths(this.root.vectorStore, collection.id);
    fs.mkdirSync(paths.dir, { recursive: true });
    const startedAt = new Date();
    const meta = readIndexMeta(paths.meta);
    let bytesBefore: number | null = null;
    try {
      bytesBefore = fs.statSync(paths.index).size;
    } catch {
      bytesBefore = null;
    }
    const temporary = temporaryIndexPath(paths.index);
    context.progress({
      currentPath: path.relative(session.path, paths.index),
      filesDone: 0,
      filesTotal: collection.chunkCount,
      unit: 'vector',
      message: 'Building the new index',
    });
    try {
      const written = await writeInWorker(
        {
          kind: 'build',
          dbPath,
          outFile: temporary,
          seed: seedFor(collection.id),
          ...shapeOf(collection),
        },
        context.signal,
        (done, total) => context.progress({ filesDone: done, filesTotal: total, unit: 'vector' }),
      );
      context.throwIfCancelled();
      context.progress({ message: 'Swapping the new index in' });
      await this.root.indexes.install(collection, temporary, 0);
      const finishedAt = new Date();
      const record = {
        collection: collection.id,
        reason,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        vectorsBefore: meta?.count ?? null,
        vectorsAfter: written.count,
        bytesBefore,
        bytesAfter: written.bytes,
        seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      };
      recordCompaction(session.catalog, record, context.jobId);
      return record;
    } finally {
      fs.rmSync(temporary, { force: true });
      fsyncDir(paths.dir);
    }
  }
}
