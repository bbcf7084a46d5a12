import type { ScheduleEntry } from '../schedule/scheduler';
import type { ScheduleSource, SessionOpenHook } from '../session-hooks';
import { isAnalyticsRoot } from './analytics-maintenance';
import { maintenanceFor } from './maintenance-service';

/** When the archival runs: daily, at night, after the 03:00 backup has had its turn. */
export const ARCHIVAL_CRON = '30 4 * * *';
/** When the privacy scrub runs: daily, before the archival, so cold files get scrubbed rows. */
export const SCRUB_CRON = '15 4 * * *';

/**
 * The maintenance domain's schedules, daily, only those that apply to the folder's profile:
 * the privacy scrub on an assistant store (on an analytics folder the archival anonymises),
 * the archival on an assistant store or an analytics folder's tiers.
 */
export const maintenanceSchedules: ScheduleSource = (session, engine) => {
  const service = () => maintenanceFor(session, engine);
  const analytics = isAnalyticsRoot(session);
  const store = session.assistantStore !== null;
  const entries: ScheduleEntry[] = [];
  if (store && !analytics) {
    entries.push({
      id: 'maintenance.scrub',
      title: 'Privacy scrub of old interactions',
      cron: SCRUB_CRON,
      run: async () => service().scrub(false)?.id ?? null,
    });
  }
  if (store || analytics) {
    entries.push({
      id: 'maintenance.archival',
      title: 'Archive analytics (hot → warm → cold)',
      cron: ARCHIVAL_CRON,
      run: async () => service().archive(false)?.id ?? null,
    });
  }
  return entries;
};

/** Start-up recovery of interrupted migrations and archival runs. */
export const maintenanceRecoveryHook: SessionOpenHook = async (session, engine) => {
  await maintenanceFor(session, engine).recover();
};
