import type { postgresChannels } from '../../../../src-shared/channels/postgres';
import type { HandlersFor } from '../../dispatch';
import type { EngineServices } from '../../engine-services';
import { POSTGRES_APP_PROFILE_ID } from './postgres-app-profile';
import { postgresServiceFor } from './postgres-service';
import { readPostgresSettings } from './postgres-settings';

/** The handlers of the postgres channels (the pages' part; the CLI has more). */
export function postgresHandlers(engine: EngineServices): HandlersFor<typeof postgresChannels> {
  return {
    'pg:status': async () => {
      const session = engine.requireSession();
      if (session.profile.id !== POSTGRES_APP_PROFILE_ID) {
        return { applies: false, connected: false, url: null };
      }
      const settings = await readPostgresSettings(session.state);
      return { applies: true, connected: settings !== null, url: settings?.url ?? null };
    },
    'pg:guard': async ({ destination }) =>
      postgresServiceFor(engine.requireSession(), engine).startBackup('pre-update', destination),
    'pg:usage': async () => {
      const usage = await postgresServiceFor(engine.requireSession(), engine).usage();
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
