import type { postgresChannels } from '../../../../src-shared/channels/postgres';
import type { PostgresCheckInfo } from '../../../../src-shared/models/postgres';
import type { HandlersFor } from '../../dispatch';
import type { EngineServices } from '../../engine-services';
import { listAppSessions } from '../../stores/postgres/database-sessions';
import { migrationStatus } from '../../stores/postgres/migration-runner';
import type { TendDatabase } from '../../stores/postgres/tend-databases';
import { migrationRows } from './migration-list';
import { postgresAppPaths } from './postgres-app-paths';
import { POSTGRES_APP_PROFILE_ID } from './postgres-app-profile';
import { postgresServiceFor, type PostgresCheck, type PostgresService } from './postgres-service';
import { readPostgresSettings } from './postgres-settings';

/** An undo database as the page lists it. */
function undoInfo(database: TendDatabase) {
  return { name: database.name, bytes: database.bytes, at: database.marker.at };
}

/** The adoption check as the page shows it. */
function checkInfo(check: PostgresCheck): PostgresCheckInfo {
  return {
    url: check.url,
    target: check.facts.target,
    database: check.facts.database,
    serverVersion: check.facts.serverVersion,
    databaseBytes: check.facts.databaseBytes,
    tableCount: check.facts.tableCount,
    pgDump: check.facts.pgDump,
    caches: check.caches.map((cache) => ({ location: cache.location, reason: cache.reason })),
    cleanedScratch: check.recovery.droppedScratch.map((dropped) => dropped.name),
    undoDatabases: check.undoDatabases.map(undoInfo),
  };
}

/**
 * The handlers of the postgres channels: the Database page's part of what `tend pg` does,
 * over the same service.
 */
export function postgresHandlers(engine: EngineServices): HandlersFor<typeof postgresChannels> {
  const service = (): PostgresService => postgresServiceFor(engine.requireSession(), engine);
  /** The folder named, or the postgres-app folder's own `database/migrations`. */
  const migrationsFolder = (folder: string | undefined) =>
    folder ?? engine.requireSession().resolve(postgresAppPaths.migrations);
  return {
    'pg:status': async () => {
      const session = engine.requireSession();
      if (session.profile.id !== POSTGRES_APP_PROFILE_ID) {
        return { applies: false, connected: false, url: null };
      }
      const settings = await readPostgresSettings(session.state);
      return { applies: true, connected: settings !== null, url: settings?.url ?? null };
    },
    'pg:connect': async ({ url, password }) => checkInfo(await service().connect(url, password)),
    'pg:check': async () => checkInfo(await service().check()),
    'pg:backups': async () => ({
      backups: (await service().listBackups()).map(({ backup, database }) => ({
        id: backup.id,
        kind: backup.kind,
        createdAt: backup.createdAt,
        archiveBytes: backup.archiveBytes,
        database,
      })),
    }),
    'pg:backup': async ({ kind, destination }) => service().startBackup(kind, destination),
    'pg:guard': async ({ destination }) => service().startBackup('pre-update', destination),
    'pg:sessions': async () => {
      const connection = await service().connection();
      return {
        database: connection.params.database,
        sessions: await listAppSessions(connection),
      };
    },
    'pg:restore': async ({ backup, endSessions, validationQuery }) =>
      service().startRestore(backup, { endSessions, validationQuery }),
    'pg:undo': async ({ endSessions }) => service().undo({ endSessions }),
    'pg:drop-old': async () => ({ dropped: await service().dropUndoDatabases() }),
    'pg:migrations': async ({ folder }) => {
      const chosen = migrationsFolder(folder);
      const status = await migrationStatus(await service().connection(), chosen);
      return { folder: chosen, migrations: migrationRows(status) };
    },
    'pg:migrate': async ({ folder, destination }) =>
      service().startMigrations(migrationsFolder(folder), destination),
    'pg:integrity': async () => (await service().checkIntegrity()).integrity,
    'pg:usage': async () => {
      const usage = await service().usage();
      return {
        database: usage.database,
        databaseBytes: usage.databaseBytes,
        tables: usage.tables.map((table) => ({
          schema: table.schema,
          name: table.name,
          tableBytes: table.tableBytes,
          toastBytes: table.toastBytes,
          indexBytes: table.indexBytes,
          totalBytes: table.totalBytes,
          estimatedRows: table.estimatedRows,
        })),
      };
    },
  };
}
