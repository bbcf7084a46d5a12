/**
 * The layout of seed 003's chat bot folder, root-relative: the compose files and `.env` that
 * name its PostgreSQL URL, the host folder of its uploads, its logs, the bind mount of its
 * Redis data, and the seed's own backup and migration scripts with their migrations. Users,
 * chats, messages and measurements live in PostgreSQL, not in the folder.
 */
export const postgresAppPaths = {
  compose: 'docker-compose.yml',
  composeOverride: 'docker-compose.override.yml',
  env: '.env',
  uploads: 'backend/uploads',
  logs: 'backend/logs',
  redisData: 'redis/data',
  databaseScripts: 'database',
  backupScript: 'database/backup-restore.sh',
  migrationScript: 'database/migration-workflow.sh',
  migrations: 'database/migrations',
  /** What the seed's `backup-restore.sh` wrote: the person's own backups, kept as they are. */
  scriptBackups: 'backups',
  scripts: 'scripts',
} as const;

/** Folders `tend init --profile postgres-app` makes. */
export const postgresAppNewRootFolders: ReadonlyArray<string> = [
  postgresAppPaths.uploads,
  postgresAppPaths.logs,
  postgresAppPaths.migrations,
];
