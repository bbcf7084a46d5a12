import type Database from 'better-sqlite3';
import { assistantMigration001Initial } from './001-initial';
import { assistantMigration002AnalyticsLifecycle } from './002-analytics-lifecycle';
import type { AssistantMigration } from './assistant-migration';

export type { AssistantMigration } from './assistant-migration';

/** Every assistant.db migration, in order. A new one goes at the end with the next number. */
export const assistantMigrations: ReadonlyArray<AssistantMigration> = [
  assistantMigration001Initial,
  assistantMigration002AnalyticsLifecycle,
];

/** The newest schema version this Tend knows. */
export const LATEST_ASSISTANT_VERSION = assistantMigrations.at(-1)?.version ?? 0;

/** The migrations a database at `current` still needs, oldest first. */
export function pendingAssistantMigrations(
  current: number,
  migrations: ReadonlyArray<AssistantMigration> = assistantMigrations,
): AssistantMigration[] {
  return [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
}

/**
 * Applies each pending migration in its own transaction, bumping `user_version` inside it, so
 * a crash leaves the database at one whole version or the next, never between.
 *
 * `onStep` is called after each committed step (progress, and the fault tests' kill points);
 * `beforeStep` before each one starts (so a caller can say which step failed).
 */
export function applyAssistantMigrations(
  db: Database.Database,
  migrations: ReadonlyArray<AssistantMigration> = assistantMigrations,
  onStep?: (migration: AssistantMigration) => void,
  beforeStep?: (migration: AssistantMigration) => void,
): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of pendingAssistantMigrations(current, migrations)) {
    beforeStep?.(migration);
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    onStep?.(migration);
  }
  return db.pragma('user_version', { simple: true }) as number;
}
