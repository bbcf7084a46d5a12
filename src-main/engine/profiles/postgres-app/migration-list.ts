/**
 * The migrations of a folder as the Database page lists them: every numbered file and every
 * applied migration, in the order they run, each applied, pending, changed since it was
 * applied, or missing from the folder. Pure, over a MigrationStatus.
 */
import type { MigrationListInfo } from '../../../../src-shared/models/postgres';
import { migrationNumber } from '../../stores/postgres/migration-files';
import type { MigrationStatus } from '../../stores/postgres/migration-runner';

/** One row of the list. */
export type MigrationRow = MigrationListInfo['migrations'][number];

/** The rows of a folder's status, by number (a name without one last, by name). */
export function migrationRows(status: MigrationStatus): MigrationRow[] {
  const appliedAt = new Map(status.applied.map((entry) => [entry.name, entry.appliedAt]));
  const changed = new Set(status.changed.map((entry) => entry.name));
  const missing = new Set(status.missing);
  const rows: MigrationRow[] = [
    ...status.applied.map((entry) => ({
      name: entry.name,
      state: changed.has(entry.name)
        ? ('changed' as const)
        : missing.has(entry.name)
          ? ('missing' as const)
          : ('applied' as const),
      appliedAt: entry.appliedAt,
    })),
    ...status.pending
      .filter((entry) => !appliedAt.has(entry.name))
      .map((entry) => ({ name: entry.name, state: 'pending' as const, appliedAt: null })),
  ];
  const order = (name: string) => migrationNumber(name);
  return rows.sort((a, b) => {
    const x = order(a.name);
    const y = order(b.name);
    if (x !== null && y !== null && x !== y) return x < y ? -1 : 1;
    if (x === null && y !== null) return 1;
    if (x !== null && y === null) return -1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}
