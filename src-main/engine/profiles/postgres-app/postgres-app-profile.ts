/**
 * The postgres-app profile (seed 003, issue 11): a chat bot run with docker-compose whose
 * users, chats, messages and measurements live in PostgreSQL, whose uploads sit in a host
 * folder, and whose sessions and cache live in Redis. Its operators ran the seed's
 * `backup-restore.sh` and `migration-workflow.sh` by hand before every update; `tend pg`
 * and `tend guard` do that job (cli/commands/postgres.ts).
 */
import type { Profile } from '../profile';
import { dumpsRestoredApart } from './archive-dump';
import { databaseBackupExtras } from './database-capture';
import { postgresAppDemo } from './postgres-app-demo';
import { postgresAppNewRootFolders, postgresAppPaths as p } from './postgres-app-paths';
import { postgresAppCategoryRules } from './postgres-app-rules';
import { postgresAppStores } from './postgres-app-stores';

/** The postgres-app profile's id. */
export const POSTGRES_APP_PROFILE_ID = 'postgres-app';

/** A docker-compose bot whose data lives in PostgreSQL, its uploads in a folder. */
export const postgresAppProfile: Profile = {
  id: POSTGRES_APP_PROFILE_ID,
  name: 'PostgreSQL-backed bot (docker-compose)',
  appName: 'the bot',
  summary:
    'A chat bot run with docker-compose: users, chats, messages and measurements in PostgreSQL (backed up with pg_dump, restored by swapping databases), uploads in backend/uploads/, sessions and cache in Redis (listed, never backed up).',
  markers: [
    {
      path: p.compose,
      what: 'a compose file naming a PostgreSQL URL',
      shape: 'postgres-url',
      weight: 0.6,
    },
    { path: p.env, what: 'an .env naming a PostgreSQL URL', shape: 'postgres-url', weight: 0.5 },
    {
      path: p.backupScript,
      what: "the seed's database backup script",
      shape: 'file',
      weight: 0.5,
    },
    {
      path: p.migrationScript,
      what: "the seed's migration script",
      shape: 'file',
      weight: 0.3,
    },
    { path: `${p.uploads}/`, what: "the bot's uploads", shape: 'folder', weight: 0.3 },
    { path: `${p.migrations}/`, what: 'SQL migrations', shape: 'folder', weight: 0.1 },
  ],
  paths: p,
  categoryRules: postgresAppCategoryRules,
  stores: postgresAppStores,
  scopes: [],
  runningApp: {
    // The bot runs in containers: Tend sees it by its database sessions instead (a restore
    // lists them and refuses while they are connected, unless told to end them).
    lockFiles: [],
    processNames: [],
  },
  dataLocation: [
    {
      kind: 'env',
      variable: 'DATABASE_URL',
      note: 'The bot reads its database from here (.env); Tend keeps the same URL, without the password, in its own setting (tend pg connect).',
    },
    {
      kind: 'settings-file',
      file: p.compose,
      key: 'services.backend.volumes (./backend/uploads)',
      note: 'The uploads folder is a host mount of the backend container.',
    },
  ],
  assistantStore: null,
  newRootFolders: postgresAppNewRootFolders,
  demo: postgresAppDemo,
  backupExtras: databaseBackupExtras,
  restoredApart: dumpsRestoredApart,
};
