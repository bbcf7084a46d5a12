/**
 * The postgres-app profile's stores: the PostgreSQL database (users, chats, messages,
 * measurements; on a server, not in the folder), the uploads folder, and the migrations the
 * person applies with `tend pg migrate apply`. Redis is not a store Tend keeps: it is listed
 * (compose-urls.ts, `tend pg check`) and its data folder is disposable in the rules.
 */
import type { ProfileStore } from '../profile';
import { defineStore } from '../profile-store';
import { filesStore } from '../../stores/files/files-store';
import { postgresAppPaths } from './postgres-app-paths';

/**
 * The database. It has no instance in the folder: the connection setting (`tend pg connect`)
 * names it, and a backup of kind `database`, `full` or `pre-update` adds its dump
 * (postgres-backup.ts).
 */
export const postgresDatabaseStore: ProfileStore = {
  id: 'database',
  kind: 'postgres',
  title: 'the PostgreSQL database (users, chats, messages, measurements)',
  paths: [],
  category: 'irreplaceable',
  origin: { kind: 'source' },
  capture:
    'pg_dump --format=custom inside the snapshot a REPEATABLE READ transaction exports, so a bot that keeps writing never tears it; streamed into the archive as database/<name>.dump with its SHA-256 and every table’s row count from the same snapshot.',
  validation:
    'pg_restore into a new database <name>_tend_restore_<time>, row counts per table against the backup’s, every constraint and index valid, an optional query; then swapped in by renaming, the old database kept as the undo.',
  instances: async () => [],
};

/** The files people uploaded to the bot (a host folder mounted into the container). */
const uploads = defineStore({
  id: 'uploads',
  title: 'uploaded files',
  kind: filesStore,
  paths: [postgresAppPaths.uploads],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation: 'Every byte of every file is read back.',
  label: () => 'uploads',
});

/** The numbered SQL migrations of the bot's schema. */
const migrations = defineStore({
  id: 'migrations',
  title: 'database migrations (numbered .sql files)',
  kind: filesStore,
  paths: [postgresAppPaths.migrations],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation: 'Every byte of every file is read back.',
  label: () => 'migrations',
});

/** The postgres-app profile's stores. */
export const postgresAppStores: ReadonlyArray<ProfileStore> = [
  postgresDatabaseStore,
  uploads,
  migrations,
];
