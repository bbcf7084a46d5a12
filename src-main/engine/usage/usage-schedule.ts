import type { Settings } from '../../../src-shared/models/settings';
import type { EngineServices } from '../engine-services';
import type { RootSession } from '../root-session';
import type { ScheduleEntry } from '../schedule/scheduler';
import { usageService } from './usage-service';

/**
 * Once a day, after the nightly backup: a usage scan, so the history has a snapshot per day
 * and the alerts are checked even when nobody opens the app. A day missed while the machine
 * was off is caught up once at the next start.
 */
export const USAGE_DAILY_CRON = '30 6 * * *';

/** The usage domain's schedules. */
export function usageSchedules(
  session: RootSession,
  engine: EngineServices,
  _settings: Settings,
): ReadonlyArray<ScheduleEntry> {
  return [
    {
      id: 'usage-daily-scan',
      title: 'Disk usage snapshot',
      cron: USAGE_DAILY_CRON,
      run: async () => usageService(session, engine).startScanJob('auto').id,
    },
  ];
}
