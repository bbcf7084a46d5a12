/**
 * The PostgreSQL store (issue 11, seed 003): a chat bot whose users, chats, messages and
 * measurements live in PostgreSQL, whose sessions and cache live in Redis. Plain Node, no
 * Tend state of its own: every call takes a resolved connection and returns plain values or
 * throws a TendFailure. This is the public API the postgres-app profile wires into backups,
 * restore, migrations, usage, the CLI and the UI.
 *
 * ## Connection (connection.ts, adoption-check.ts)
 * - `PostgresConnectionSettingsSchema` — the profile setting: `{ url, password, maintenanceDatabase? }`.
 *   `url` is `postgresql://user@host:port/db[?sslmode=…&host=/socket/dir]` and may NOT hold a
 *   password (INVALID_INPUT); `password` is `{ from: 'none' } | { from: 'env', variable } |
 *   { from: 'file', path }` (a `.pgpass`-style file, refused when others can read it).
 * - `resolveConnection(settings, env?)` → `PostgresConnection` (the password in memory for
 *   this run only). `onDatabase(connection, name)` points it at another database.
 * - `inspectDatabase(connection)` → `DatabaseFacts` on adoption: server version, database
 *   size, table count, and the `PostgresTools` (pg_dump + pg_restore from PATH or
 *   /usr/lib/postgresql/<major>/bin) able to dump that server.
 * - `describeConnection(params)` and `redactSecrets(text, secrets)` for anything logged.
 *
 * Errors, each with a message a person can act on (the CLI should exit 3 for the first seven):
 * PG_PASSWORD_UNAVAILABLE, PG_AUTH_FAILED, PG_UNREACHABLE, PG_DATABASE_MISSING,
 * PG_PERMISSION_DENIED, PG_TOOLS_MISSING, PG_TOOLS_TOO_OLD (names both versions);
 * PG_QUERY_FAILED (anything else the server said), PG_DUMP_FAILED, PG_RESTORE_FAILED,
 * PG_SESSIONS_CONNECTED, PG_MIGRATION_FAILED, PG_MIGRATION_CHANGED; and the existing
 * INVALID_INPUT, CANCELLED, DATA_LOCKED, RESTORE_VALIDATION_FAILED, RESTORE_NOTHING_TO_UNDO.
 *
 * ## Backup (database-dump.ts, dump-record.ts)
 * - `dumpDatabase({ connection, tools, output, end?, signal?, onProgress?, compression? })`
 *   streams `pg_dump --format=custom --snapshot=<exported>` into the caller's writable and
 *   resolves to a `DatabaseDumpRecord` (bytes, sha256, per-table exact row counts taken in the
 *   same snapshot, versions) for the manifest. On failure the output is destroyed, not ended.
 * - `dumpDatabaseToFile(file, options)` does the same into `<file>.partial`, fsync, rename;
 *   a failure leaves no file. A tar entry needs its size before its bytes, so the archive
 *   writer should dump to a file in its temp folder, then archive that file at
 *   `record.archivePath` (`database/<name>.dump`) — or stream `dumpDatabase` into a temp
 *   file of its own.
 * - `DatabaseDumpRecordSchema` parses the record back from a manifest.
 * - `describeRedisCache(location)` — the Redis descriptor: listed, never backed up.
 *
 * ## Restore by swap (restore-by-swap.ts, restore-undo.ts, restore-recovery.ts)
 * - `restoreBySwap({ connection, tools, dumpFile, expected, validationQuery?, endSessions?,
 *   jobs?, signal?, onProgress? })` → `SwapRestoreResult` (undo database name, validation,
 *   `unavailableMs`, ended sessions, older undo databases). Refuses with PG_SESSIONS_CONNECTED
 *   (details.sessions lists them) while the app is connected unless `endSessions`. Works when
 *   the live database is gone (no undo then).
 * - `listAppSessions(connection)` — who is connected now, to show before a restore.
 * - `undoRestoreBySwap({ connection, endSessions? })` swaps the newest undo database back in
 *   (the restored one is kept as an undo in its turn).
 * - `listUndoDatabases(connection)`, `dropUndoDatabase(connection, name)` — dropped only when
 *   the person says so, and only databases Tend marked as its own.
 * - `recoverInterruptedRestores(connection)` — call at every start (session hook) and before
 *   a restore: drops scratch databases of restores that stopped part way, reopens a live
 *   database a stopped swap had closed, reports look-alikes it leaves alone.
 *
 * ## Migrations and checks (migration-files.ts, migration-runner.ts, integrity-check.ts)
 * - `migrationStatus(connection, folder)`, `applyMigrations({ connection, folder,
 *   beforeApply, lockTimeoutMs?, signal?, onProgress? })` — `beforeApply(pending)` is where
 *   the caller takes the `pre-migration` backup; history in `public.tend_migrations`
 *   (name, checksum, applied_at). `createMigrationFile(folder, title)`.
 * - `checkDatabaseIntegrity(connection)` — constraints validated, indexes valid, row counts.
 *
 * ## Usage (database-usage.ts)
 * - `databaseUsage(connection)` — database size and, per table, its pages, TOAST and indexes.
 *
 * ## For tests, the bench and a demo
 * - `startScratchCluster()` — a throwaway cluster (initdb, pg_ctl as `postgres` when root).
 * - `generateSeedTables(client, size)`, `seedTablesOfSize(bytes)`, `SMALL_SEED_TABLES`.
 */
export { inspectDatabase, type DatabaseFacts } from './adoption-check';
export { findTools, type PostgresTools, type ToolSearch } from './client-tools';
export {
  onDatabase,
  openClient,
  PasswordSourceSchema,
  PostgresConnectionSettingsSchema,
  resolveConnection,
  toolEnvironment,
  withClient,
  type PasswordSource,
  type PostgresConnection,
  type PostgresConnectionSettings,
} from './connection';
export {
  describeConnection,
  parseDatabaseUrl,
  redactSecrets,
  type ConnectionParams,
} from './connection-url';
export {
  dumpDatabase,
  dumpDatabaseToFile,
  type DumpOptions,
  type StreamDumpOptions,
} from './database-dump';
export { listAppSessions, type ConnectedSession } from './database-sessions';
export { databaseUsage, type DatabaseUsage, type TableUsage } from './database-usage';
export { DatabaseDumpRecordSchema, dumpArchivePath, type DatabaseDumpRecord } from './dump-record';
export { checkDatabaseIntegrity, type IntegrityReport } from './integrity-check';
export { createMigrationFile, type MigrationFile } from './migration-files';
export {
  applyMigrations,
  MIGRATIONS_TABLE,
  migrationStatus,
  type ApplyMigrationsOptions,
  type ApplyMigrationsResult,
  type MigrationStatus,
} from './migration-runner';
export { describeRedisCache, type CacheStoreDescriptor } from './redis-cache';
export {
  restoreBySwap,
  type SwapRestoreOptions,
  type SwapRestoreProgress,
  type SwapRestoreResult,
} from './restore-by-swap';
export { recoverInterruptedRestores, type RestoreRecoveryReport } from './restore-recovery';
export {
  dropUndoDatabase,
  listUndoDatabases,
  undoRestoreBySwap,
  type SwapUndoResult,
} from './restore-undo';
export type { RestoreValidation } from './restore-validate';
export { startScratchCluster, type ScratchCluster } from './scratch-cluster';
export {
  generateSeedTables,
  seedTablesOfSize,
  SMALL_SEED_TABLES,
  type SeedTablesSize,
} from './seed-tables';
export type { TableRowCount } from './table-rows';
export type { TendDatabase } from './tend-databases';
