/**
 * The SQLite upkeep job: assistant.db (when the root has one) and Tend's catalog checkpointed,
 * optimised, vacuumed when worth it, and checked for integrity when due (sqlite-upkeep.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { UpkeepRun } from '../../../src-shared/models/vectors';
import type { JobContext } from '../jobs/job-runner';
import { openStore } from './collection-store';
import { integrityDue, upkeepDatabase } from './sqlite-upkeep';
import type { VectorRoot } from './vector-root';
import { lastIntegrityCheck, recordUpkeep } from './vectors-records';

/** Starts an upkeep job over assistant.db and the catalog. */
export function startUpkeepJob(root: VectorRoot): JobRecord {
  return root.session.jobs.start({
    kind: 'sqlite-upkeep',
    title: 'SQLite upkeep of the assistant database and the catalog',
    writesRoot: true,
    run: async (context) => runUpkeep(root, context),
  });
}

async function runUpkeep(root: VectorRoot, context: JobContext): Promise<UpkeepRun> {
  const now = new Date();
  const catalog = root.session.catalog;
  const catalogPath = root.session.state.catalog;
  const targets = [
    ...(root.session.assistantStore && fs.existsSync(root.dbPath)
      ? [{ database: 'assistant' as const, path: root.dbPath }]
      : []),
    { database: 'catalog' as const, path: catalogPath },
  ];
  const databases = [];
  for (const [at, target] of targets.entries()) {
    context.throwIfCancelled();
    context.progress({
      filesDone: at,
      filesTotal: targets.length,
      // The catalog is Tend's own, in its state folder: named by its full path.
      currentPath:
        target.database === 'catalog' ? target.path : path.relative(root.session.path, target.path),
    });
    const checkIntegrity = integrityDue(lastIntegrityCheck(catalog, target.database), now);
    if (target.database === 'catalog') {
      databases.push({ ...target, ...upkeepDatabase(catalog, target.path, { checkIntegrity }) });
    } else {
      const db = openStore(target.path);
      try {
        databases.push({ ...target, ...upkeepDatabase(db, target.path, { checkIntegrity }) });
      } finally {
        db.close();
      }
    }
  }
  context.progress({ filesDone: targets.length });
  const run: UpkeepRun = {
    ranAt: now.toISOString(),
    jobId: context.jobId,
    databases,
    reclaimedBytes: databases.reduce(
      (sum, db) => sum + Math.max(0, db.bytesBefore - db.bytesAfter),
      0,
    ),
  };
  recordUpkeep(catalog, run);
  return run;
}
