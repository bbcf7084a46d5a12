import type { maintenanceChannels } from '../../../src-shared/channels/maintenance';
import { TendFailure } from '../../../src-shared/errors';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import { analyticsScrubIsTheArchival, isAnalyticsRoot } from './analytics-maintenance';
import { legacyStatus } from './legacy-migration';
import { planLegacyMigration } from './legacy-plan';
import { maintenanceRootOf } from './maintenance-paths';
import { maintenanceFor } from './maintenance-service';
import { listSchedules, scheduleHistory, schedulerFor, scheduleStatus } from './schedule-overview';
import { schemaStatus } from './schema-migration';
import { LATEST_ASSISTANT_VERSION } from '../store/migrations';

/** The handlers of the maintenance channels. */
export function maintenanceHandlers(
  engine: EngineServices,
): HandlersFor<typeof maintenanceChannels> {
  const session = () => engine.requireSession();
  const service = () => maintenanceFor(session(), engine);
  const nothingToDo = () =>
    new TendFailure(
      'ASSISTANT_DB_MISSING',
      'This data folder has no assistant database yet; there is nothing to do.',
    );
  return {
    // A folder without an assistant store has no schema of Tend's to migrate: nothing pending.
    'schema:status': async () =>
      session().assistantStore
        ? schemaStatus(maintenanceRootOf(session()))
        : { current: null, latest: LATEST_ASSISTANT_VERSION, pending: [], notice: null },
    'schema:migrate': async () => service().migrateSchema(),
    'legacy:status': async () =>
      session().assistantStore
        ? legacyStatus(maintenanceRootOf(session()))
        : {
            hasLegacyData: false,
            state: null,
            id: null,
            appliedAt: null,
            files: 0,
            canRollBack: false,
            setAside: { files: 0, bytes: 0, folder: '' },
          },
    'legacy:plan': async ({ resolution, choices }) =>
      planLegacyMigration(maintenanceRootOf(session()), resolution, choices),
    'legacy:apply': async ({ resolution, choices, dryRun }) =>
      service().migrateLegacy(resolution, choices, dryRun),
    'legacy:rollback': async () => service().rollbackLegacy(),
    'analytics:tiers': async () => service().tiers(),
    'analytics:daily': async ({ from, to }) => {
      const started = performance.now();
      const days = await service().daily(from, to);
      return { days, durationMs: Math.round((performance.now() - started) * 100) / 100 };
    },
    'analytics:archive': async ({ dryRun }) => {
      const job = service().archive(dryRun);
      if (!job) throw nothingToDo();
      return job;
    },
    'retention:get': async () => service().retention(),
    'retention:set': async ({ policy }) => service().setRetention(policy),
    'scrub:preview': async () => service().scrubNow(true, null),
    'scrub:run': async ({ dryRun }) => {
      const job = service().scrub(dryRun);
      if (!job) throw isAnalyticsRoot(session()) ? analyticsScrubIsTheArchival() : nothingToDo();
      return job;
    },
    'records:export': async ({ kind, format, path, replace }) =>
      service().exportRecords(kind, format, path, replace),
    'records:import': async ({ kind, format, path, dryRun }) =>
      service().importRecords(kind, format, path, dryRun),
    'schedule:list': async () => ({ schedules: await listSchedules(session(), engine) }),
    'schedule:run-now': async ({ id }) => {
      await scheduleStatus(session(), engine, id);
      const scheduler = await schedulerFor(session(), engine);
      const jobId = await scheduler.runNow(id);
      return { job: jobId === null ? null : session().jobs.get(jobId) };
    },
    'schedule:pause': async ({ id, paused }) => {
      await scheduleStatus(session(), engine, id);
      (await schedulerFor(session(), engine)).setPaused(id, paused);
      return scheduleStatus(session(), engine, id);
    },
    'schedule:history': async (query) => ({ runs: scheduleHistory(session(), query) }),
  };
}
