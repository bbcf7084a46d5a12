import path from 'node:path';
import { inspectDatabase } from '../../../../../../src-main/engine/stores/postgres/adoption-check';
import type { PostgresTools } from '../../../../../../src-main/engine/stores/postgres/client-tools';
import type { PostgresConnection } from '../../../../../../src-main/engine/stores/postgres/connection';
import { dumpDatabaseToFile } from '../../../../../../src-main/engine/stores/postgres/database-dump';
import type { DatabaseDumpRecord } from '../../../../../../src-main/engine/stores/postgres/dump-record';
import type { ScratchCluster } from '../../../../../../src-main/engine/stores/postgres/scratch-cluster';
import { connectionTo } from './cluster';

/** A database's dump taken by Tend, with what the tests need around it. */
export interface TakenDump {
  connection: PostgresConnection;
  tools: PostgresTools;
  file: string;
  record: DatabaseDumpRecord;
}

/** Dumps `database` into `dir` as Tend's backup does. */
export async function takeDump(
  cluster: ScratchCluster,
  database: string,
  dir: string,
  compression?: number,
): Promise<TakenDump> {
  const connection = await connectionTo(cluster, database);
  const { tools } = await inspectDatabase(connection);
  const file = path.join(dir, `${database}.dump`);
  const record = await dumpDatabaseToFile(file, {
    connection,
    tools,
    ...(compression === undefined ? {} : { compression }),
  });
  return { connection, tools, file, record };
}
