import type { CatalogMigration } from '../migration';
import { migration001Jobs } from './001-jobs';
import { migration002ScheduleRuns } from './002-schedule-runs';
import { migration003Backups } from './003-backups';
import { migration005UsageHistory } from './005-usage-history';
import { migration006IndexHealth } from './006-index-health';
import { migration007Maintenance } from './007-maintenance';

/** Every catalog migration, in order. A new one goes at the end with the next number. */
export const catalogMigrations: ReadonlyArray<CatalogMigration> = [
  migration001Jobs,
  migration002ScheduleRuns,
  migration003Backups,
  migration005UsageHistory,
  migration006IndexHealth,
  migration007Maintenance,
];
