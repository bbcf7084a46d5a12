import type { CatalogMigration } from '../migration';
import { migration001Jobs } from './001-jobs';
import { migration002ScheduleRuns } from './002-schedule-runs';
import { migration003Backups } from './003-backups';
import { migration004UsageHistory } from './004-usage-history';
import { migration005IndexHealth } from './005-index-health';
import { migration006Maintenance } from './006-maintenance';

/** Every catalog migration, in order. A new one goes at the end with the next number. */
export const catalogMigrations: ReadonlyArray<CatalogMigration> = [
  migration001Jobs,
  migration002ScheduleRuns,
  migration003Backups,
  migration004UsageHistory,
  migration005IndexHealth,
  migration006Maintenance,
];
