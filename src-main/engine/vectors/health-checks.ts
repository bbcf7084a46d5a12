/**
 * Turning what the worker measured into verdicts a person can read: each check ok, warning or
 * bad with its reason, and whether the index should be rebuilt.
 */
import type { HealthCheck, HealthStatus, IndexHealth } from '../../../src-shared/models/vectors';
import type { CollectionRecord } from '../store/assistant-db';
import type { IndexMeta } from './index-file';
import type { InspectReport } from './index-worker-protocol';

/** Stored vectors used as queries to measure recall@10. */
export const RECALL_SAMPLE = 100;

/** recall@10 below this starts a compaction; below RECALL_BAD the check is bad. */
export const RECALL_TARGET = 0.9;
export const RECALL_BAD = 0.8;

/** Deleted shares for a warning and for bad (bad also starts a compaction at ≥ 1,000 vectors). */
export const DELETED_WARNING = 0.1;
export const DELETED_BAD = 0.2;
export const DELETED_MIN_VECTORS = 1_000;

const rank: Record<HealthStatus, number> = { ok: 0, warning: 1, bad: 2 };

/** The worst status of a list. */
export function worst(statuses: ReadonlyArray<HealthStatus>): HealthStatus {
  return statuses.reduce<HealthStatus>((a, b) => (rank[b] > rank[a] ? b : a), 'ok');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

/**
 * The health of one index from the worker's report (null: an empty collection without an
 * index file, which is healthy) and index.json.
 */
export function evaluateHealth(
  collection: CollectionRecord,
  report: InspectReport | null,
  meta: IndexMeta | null,
  now: Date,
): Omit<IndexHealth, 'compactionJobId'> & { compactionJobId: null } {
  const base = {
    collection: collection.id,
    checkedAt: now.toISOString(),
    compactionJobId: null,
  };
  if (report === null) {
    return {
      ...base,
      status: 'ok',
      checks: [
        { name: 'loads', status: 'ok', reason: 'The collection is empty and needs no index yet.' },
      ],
      indexCount: 0,
      deletedCount: 0,
      liveChunks: 0,
      orphans: 0,
      missing: 0,
      recall: null,
      recallSample: 0,
      compactionReason: null,
    };
  }
  if (!report.loads) {
    const checks: HealthCheck[] = [
      { name: 'loads', status: 'bad', reason: `The index file does not load: ${report.reason}` },
      report.indexDimension !== null && report.indexDimension !== collection.dimension
        ? {
            name: 'dimension',
            status: 'bad',
            reason: `The index has dimension ${report.indexDimension}; the collection says ${collection.dimension}.`,
          }
        : {
            name: 'dimension',
            status: 'warning',
            reason: 'Not measured: the index did not load.',
          },
    ];
    return {
      ...base,
      status: 'bad',
      checks,
      indexCount: null,
      deletedCount: null,
      liveChunks: report.liveChunks,
      orphans: null,
      missing: null,
      recall: null,
      recallSample: 0,
      compactionReason: 'the index file does not load',
    };
  }
  const checks: HealthCheck[] = [];
  const reasons: string[] = [];
  checks.push({
    name: 'loads',
    status: 'ok',
    reason: `The index loads: ${report.indexCount} vectors.`,
  });

  const metaDisagrees = meta !== null && meta.count !== report.indexCount;
  if (report.orphans === 0 && report.missing === 0 && !metaDisagrees) {
    checks.push({
      name: 'agreement',
      status: 'ok',
      reason: `Index and database agree on ${report.liveChunks} live chunks.`,
    });
  } else {
    const parts = [];
    if (report.missing > 0) parts.push(`${report.missing} live chunks are missing from the index`);
    if (report.orphans > 0) parts.push(`${report.orphans} vectors have no live chunk`);
    if (metaDisagrees)
      parts.push(`index.json counts ${meta.count}, the file holds ${report.indexCount}`);
    checks.push({ name: 'agreement', status: 'bad', reason: `${parts.join('; ')}.` });
    reasons.push('the index and the database disagree');
  }

  const share = report.indexCount === 0 ? 0 : report.deletedCount / report.indexCount;
  const manyVectors = report.indexCount >= DELETED_MIN_VECTORS;
  const deletedStatus: HealthStatus =
    share > DELETED_BAD && manyVectors ? 'bad' : share > DELETED_WARNING ? 'warning' : 'ok';
  checks.push({
    name: 'deleted',
    status: deletedStatus,
    reason:
      report.deletedCount === 0
        ? 'No deleted vectors.'
        : `${report.deletedCount} of ${report.indexCount} vectors (${percent(share)}) are deleted.`,
  });
  if (deletedStatus === 'bad') reasons.push(`${percent(share)} of the index is deleted vectors`);

  if (report.recall === null) {
    checks.push({ name: 'recall', status: 'ok', reason: 'No vectors to measure recall with.' });
  } else {
    const status: HealthStatus =
      report.recall >= RECALL_TARGET ? 'ok' : report.recall >= RECALL_BAD ? 'warning' : 'bad';
    checks.push({
      name: 'recall',
      status,
      reason: `recall@10 is ${report.recall.toFixed(3)} on ${report.recallSample} stored vectors (target ${RECALL_TARGET}).`,
    });
    if (report.recall < RECALL_TARGET) {
      reasons.push(`recall@10 ${report.recall.toFixed(3)} is below the target ${RECALL_TARGET}`);
    }
  }

  checks.push(
    report.indexDimension === collection.dimension
      ? {
          name: 'dimension',
          status: 'ok',
          reason: `Dimension ${collection.dimension}, as the collection says.`,
        }
      : {
          name: 'dimension',
          status: 'bad',
          reason: `The index has dimension ${report.indexDimension}; the collection says ${collection.dimension}.`,
        },
  );
  if (report.indexDimension !== collection.dimension) reasons.push('the dimension is wrong');

  return {
    ...base,
    status: worst(checks.map((check) => check.status)),
    checks,
    indexCount: report.indexCount,
    deletedCount: report.deletedCount,
    liveChunks: report.liveChunks,
    orphans: report.orphans,
    missing: report.missing,
    recall: report.recall,
    recallSample: report.recallSample,
    compactionReason: reasons.length > 0 ? reasons.join('; ') : null,
  };
}
