/**
 * The database's part of a backup of a postgres-app folder: the dump, taken when the backup
 * job runs, handed to the archive writer as `database/<name>.dump` beside its record
 * (`database/<name>.dump.json`: row counts per table from the dump's own snapshot, versions),
 * both hashed into the manifest like every other file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveExtraFile } from '../../backup/archive-writer';
import type { JobContext } from '../../jobs/job-runner';
import { inspectDatabase } from '../../stores/postgres/adoption-check';
import type { BackupKind } from '../../../../src-shared/models/backup-manifest';
import type { RootState } from '../../root/root-state';
import { resolveConnection, type PostgresConnection } from '../../stores/postgres/connection';
import type { BackupExtras } from '../profile';
import { readPostgresSettings } from './postgres-settings';
import { dumpDatabaseToFile } from '../../stores/postgres/database-dump';
import { DUMP_RECORD_SUFFIX } from './archive-dump';

/** A function the backup service calls inside its job to add the database's dump. */
export function captureDatabase(
  connect: () => Promise<PostgresConnection>,
): (tempDir: string, context: JobContext) => Promise<ArchiveExtraFile[]> {
  return async (tempDir, context) => {
    const connection = await connect();
    context.progress({ message: `Checking the database ${connection.params.database}` });
    const facts = await inspectDatabase(connection);
    const dumpFile = path.join(tempDir, 'database.dump');
    context.progress({
      message: `Dumping the database ${connection.params.database} (about ${facts.databaseBytes} bytes on the server)`,
      bytesDone: 0,
      bytesTotal: null,
    });
    const record = await dumpDatabaseToFile(dumpFile, {
      connection,
      tools: facts.tools,
      signal: context.signal,
      onProgress: ({ bytesDone }) =>
        context.progress({ currentPath: 'database dump', bytesDone, bytesTotal: null }),
    });
    const recordFile = `${dumpFile}${DUMP_RECORD_SUFFIX}`;
    await fs.writeFile(recordFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    return [
      { path: record.archivePath, source: dumpFile, category: 'irreplaceable', compressed: true },
      {
        path: `${record.archivePath}${DUMP_RECORD_SUFFIX}`,
        source: recordFile,
        category: 'irreplaceable',
      },
    ];
  };
}

/** The kinds of backup that hold the database: all but safety snapshots of files. */
const KINDS_WITH_DATABASE: ReadonlyArray<BackupKind> = [
  'critical',
  'full',
  'custom',
  'database',
  'pre-update',
];

/**
 * The profile's part of every backup of the root (`tend backup create`, schedules): the
 * database's dump, once a connection is saved (`tend pg connect`); before that, files only.
 */
export async function databaseBackupExtras(
  state: RootState,
  kind: BackupKind,
): Promise<BackupExtras | null> {
  if (!KINDS_WITH_DATABASE.includes(kind)) return null;
  const settings = await readPostgresSettings(state);
  if (!settings) return null;
  return captureDatabase(() => resolveConnection(settings));
}
