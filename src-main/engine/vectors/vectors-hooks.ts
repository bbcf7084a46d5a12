/**
 * What the vectors domain adds to an open root: clearing temp index files a killed writer left
 * behind, and the scheduled SQLite upkeep and weekly index health check.
 */
import type { ScheduleEntry } from '../schedule/scheduler';
import type { ScheduleSource, SessionOpenHook } from '../session-hooks';
import { removeLeftovers } from './index-file';

/** Daily SQLite upkeep, at a quiet hour away from the default backup times (03:00–05:00). */
export const UPKEEP_CRON = '30 2 * * *';
/** Weekly health check of every index (it compacts what needs it). */
export const HEALTH_CRON = '0 2 * * 6';

/**
 * Removes `*.partial` files beside the indexes whose writer is gone. The index files
 * themselves were never touched by a writer that died: they are replaced only by rename.
 */
export const vectorsOpenHook: SessionOpenHook = async (session) => {
  const store = session.assistantStore;
  if (store) removeLeftovers(session.resolve(store.vectorStore));
};

/** The vectors domain's schedules. */
export const vectorsScheduleSource: ScheduleSource = (session, engine) => {
  // Only a root with Tend's assistant store has collections and their indexes.
  if (!session.assistantStore) return [];
  // The vectors service (hnswlib and the index code) loads when a scheduled run starts.
  const service = async () =>
    (await import('./vector-service')).VectorService.of(session, engine.events);
  const entries: ScheduleEntry[] = [
    {
      id: 'sqlite-upkeep',
      title: 'SQLite upkeep (checkpoint, optimize, vacuum when worth it)',
      cron: UPKEEP_CRON,
      run: async () => (await service()).startUpkeep().id,
    },
    {
      id: 'vectors-health',
      title: 'Index health check (and compaction when needed)',
      cron: HEALTH_CRON,
      run: async () => {
        const vectors = await service();
        return vectors.listCollections().length > 0 ? vectors.startHealth().id : null;
      },
    },
  ];
  return entries;
};
