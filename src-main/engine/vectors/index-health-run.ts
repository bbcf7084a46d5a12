/**
 * The health check job: each collection's index inspected in a worker (loads, count, recall
 * on a sample), judged by health-checks.ts, recorded in the catalog, and compacted when the
 * verdict says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { IndexHealth } from '../../../src-shared/models/vectors';
import type { JobContext } from '../jobs/job-runner';
import { listCollections } from '../store/assistant-db';
import { requireCollection, withStore } from './collection-store';
import { evaluateHealth, RECALL_SAMPLE } from './health-checks';
import { indexPaths, readIndexMeta } from './index-file';
import { shapeOf } from './index-shape';
import { inspectInWorker } from './index-worker-client';
import type { InspectReport } from './index-worker-protocol';
import type { VectorRoot } from './vector-root';
import { recordHealth } from './vectors-records';

/** Starts a health job for one collection or all of them. */
export function startHealthJob(root: VectorRoot, collection?: string): JobRecord {
  return root.session.jobs.start({
    kind: 'vectors-health',
    title: collection ? `Check the index of ${collection}` : 'Check every index',
    writesRoot: false,
    run: (context) => runHealth(root, collection, context),
  });
}

async function runHealth(
  root: VectorRoot,
  only: string | undefined,
  context: JobContext,
): Promise<{ collections: IndexHealth[] }> {
  const collections = withStore(root.dbPath, (db) =>
    only ? [requireCollection(db, only)] : [...listCollections(db)],
  );
  const results: IndexHealth[] = [];
  for (const [at, collection] of collections.entries()) {
    context.throwIfCancelled();
    const paths = indexPaths(root.vectorStore, collection.id);
    context.progress({
      currentPath: path.relative(root.session.path, paths.index),
      filesDone: at,
      filesTotal: collections.length,
      unit: 'collection',
      message: `Measuring recall of ${collection.id}`,
    });
    let report: InspectReport | null;
    try {
      report =
        collection.chunkCount === 0 && !fs.existsSync(paths.index)
          ? null
          : await inspectInWorker(
              {
                kind: 'inspect',
                dbPath: root.dbPath,
                indexFile: paths.index,
                sample: RECALL_SAMPLE,
                k: 10,
                ...shapeOf(collection),
              },
              context.signal,
            );
    } catch (error) {
      if (context.signal.aborted) throw error;
      // One collection that cannot be inspected does not stop the check of the others.
      report = {
        loads: false,
        reason: (error as Error).message,
        liveChunks: collection.chunkCount,
        indexDimension: null,
      };
    }
    const health = evaluateHealth(collection, report, readIndexMeta(paths.meta), new Date());
    let compactionJobId: string | null = null;
    if (health.compactionReason) {
      compactionJobId = root.compactions.start(collection.id, health.compactionReason).id;
    }
    const recorded: IndexHealth = { ...health, compactionJobId };
    recordHealth(root.session.catalog, recorded, context.jobId);
    root.events.emit('vectors:changed', { collection: collection.id });
    results.push(recorded);
  }
  context.progress({
    filesDone: collections.length,
    filesTotal: collections.length,
    unit: 'collection',
  });
  return { collections: results };
}
