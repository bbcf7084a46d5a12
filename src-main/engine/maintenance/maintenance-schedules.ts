import type { ScheduleEntry } from '../schedule/scheduler';
import type { ScheduleSource, SessionOpenHook } from '../session-hooks';
import { maintenanceFor } from './maintenance-service';

/** When the archival runs: daily, at night, after the 03:00 backup has had its turn. */
export const ARCHIVAL_CRON = '30 4 * * *';
/** When the privacy scrub runs: daily, before the archival, so cold files get scrubbed rows. */
export const SCRUB_CRON = '15 4 * * *';

/** The maintenance domain's schedules: the privacy scrub and the archival, daily. */
export const maintenanceSchedules: ScheduleSource = (session, engine) => {
  const service = () => maintenanceFor(session, engine);
  const entries: ScheduleEntry[] = [
    {
      id: 'maintenance.scrub',
      title: 'Privacy scrub of old interactions',
      cron: SCRUB_CRON,
      run: async () => service().scrub(false)?.id ?? null,
    },
    {
      id: 'maintenance.archival',
      title: 'Archive analytics (hot → warm → cold)',
      cron: ARCHIVAL_CRON,
      run: async () => service().archive(false)?.id ?? null,
    },
  ];
  return entries;
};

/** Start-up recovery of interrupted migrations and archival runs. */
export const maintenanceRecoveryHook: SessionOpenHook = async (session, engine) => {
  await maintenanceFor(session, engine).recover();
};
