/**
 * PostgreSQL (issue 11): Tend's backup and restore of a seed-003 database against the standard
 * tools, on one throwaway cluster, in the same run, by turns (the tool, then Tend; a warm-up
 * pair, then three), each ratio the median of the pairs' ratios with their range.
 *
 * - backupVsPgDump: Tend's backup (snapshot exported in a REPEATABLE READ transaction,
 *   `pg_dump -Fc --snapshot` streamed through SHA-256 into a file, exact row counts of every
 *   table in that snapshot, fsync, rename) against `pg_dump -Fc -f file`. Goal: at most 1.10.
 * - restoreVsPgRestore: Tend's restore by swap (scratch database with the live one's
 *   properties, `pg_restore`, validation: exact row counts, constraints, indexes, a query, then
 *   the rename swap) against `pg_restore` into an empty database. Goal: at most 1.15.
 * - swapUnavailableSeconds: how long the database name took no connections during the swap
 *   (closed to connections until the renames committed). Goal: under 1 s.
 *
 * The database is generated (`seedTablesOfSize`) to about TEND_BENCH_PG_MB megabytes (default
 * 500) at each run, on a cluster with durable settings (fsync on), removed after. Where the
 * server's programs are not installed (`apt-get install postgresql`) the suite is skipped and
 * says so. `npm run bench -- --only postgres`; alone, `npx tsx bench/postgres.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes } from '../src-shared/language/bytes';
import { inspectDatabase } from '../src-main/engine/stores/postgres/adoption-check';
import {
  onDatabase,
  resolveConnection,
  toolEnvironment,
  withClient,
} from '../src-main/engine/stores/postgres/connection';
import { dumpDatabaseToFile } from '../src-main/engine/stores/postgres/database-dump';
import { restoreBySwap } from '../src-main/engine/stores/postgres/restore-by-swap';
import {
  dropUndoDatabase,
  listUndoDatabases,
} from '../src-main/engine/stores/postgres/restore-undo';
import {
  findServerBinaries,
  startScratchCluster,
} from '../src-main/engine/stores/postgres/scratch-cluster';
import {
  generateSeedTables,
  seedTablesOfSize,
} from '../src-main/engine/stores/postgres/seed-tables';
import { alternate, compared, roundSpread, spreadOf } from './pairs';
import type { BenchSuite } from './suites';
import { log, round, scratchDir, timeCommand, timeIt } from './support';

/** The PostgreSQL suite. */
export const postgresSuite: BenchSuite = {
  description:
    'PostgreSQL: backup vs pg_dump -Fc, restore by swap vs pg_restore, swap window, on ~500 MB',
  async run() {
    const binaries = await findServerBinaries();
    if ('missing' in binaries) return { skipped: binaries.missing };
    const targetMb = Number(process.env.TEND_BENCH_PG_MB ?? 500);
    const scratch = scratchDir('postgres');
    log('starting a throwaway PostgreSQL cluster');
    const cluster = await startScratchCluster({ fast: false });
    try {
      const env = { BENCH_PGPASSWORD: cluster.password };
      const connect = (database: string) =>
        resolveConnection(
          { url: cluster.url(database), password: { from: 'env', variable: 'BENCH_PGPASSWORD' } },
          env,
        );
      const admin = await connect('postgres');
      await withClient(admin, 'bench', (client) => client.query('CREATE DATABASE bot'));
      const live = await connect('bot');
      const size = seedTablesOfSize(targetMb * 1024 * 1024);
      log(`generating seed 003's tables, about ${targetMb} MB (${JSON.stringify(size)})`);
      const generated = await timeIt(() =>
        withClient(live, 'bench', (client) =>
          generateSeedTables(client, size, ({ rowsDone, rowsTotal }) =>
            log(`  ${rowsDone} of ${rowsTotal} rows`),
          ),
        ),
      );
      const facts = await inspectDatabase(live);
      log(`database: ${formatBytes(facts.databaseBytes)} in ${round(generated.seconds, 1)} s`);
      const { tools } = facts;

      const tendDump = path.join(scratch, 'tend.dump');
      const plainDump = path.join(scratch, 'plain.dump');
      let record = null as Awaited<ReturnType<typeof dumpDatabaseToFile>> | null;
      const backups = await alternate({
        label: 'backup',
        standard: async () => {
          fs.rmSync(plainDump, { force: true });
          const theirs = await timeCommand(
            tools.pgDump,
            ['-Fc', '--no-password', '-f', plainDump],
            { env: toolEnvironment(live) },
          );
          return theirs.seconds;
        },
        tend: async () => {
          fs.rmSync(tendDump, { force: true });
          const ours = await timeIt(() =>
            dumpDatabaseToFile(tendDump, { connection: live, tools }),
          );
          record = ours.value;
          return ours.seconds;
        },
        describe: (tend, pgDump) => `Tend ${round(tend)} s, pg_dump ${round(pgDump)} s`,
      });

      const empty = await connect('bot_plain');
      const restores = await alternate({
        label: 'restore',
        standard: async () => {
          await withClient(admin, 'bench', async (client) => {
            await client.query('DROP DATABASE IF EXISTS bot_plain');
            await client.query('CREATE DATABASE bot_plain');
          });
          const theirs = await timeCommand(
            tools.pgRestore,
            ['--exit-on-error', '--no-password', '--dbname=bot_plain', tendDump],
            { env: toolEnvironment(onDatabase(empty, 'bot_plain')) },
          );
          return theirs.seconds;
        },
        tend: async () => {
          const ours = await timeIt(() =>
            restoreBySwap({
              connection: live,
              tools,
              dumpFile: tendDump,
              expected: record!,
              validationQuery: 'SELECT 1 FROM messages LIMIT 1',
            }),
          );
          for (const undo of await listUndoDatabases(live)) await dropUndoDatabase(live, undo.name);
          return { seconds: ours.seconds, windowSeconds: ours.value.unavailableMs / 1000 };
        },
        describe: (tend, pgRestore) =>
          `Tend ${round(tend.seconds)} s (swap window ${round(tend.windowSeconds * 1000)} ms), pg_restore ${round(pgRestore)} s`,
      });

      return {
        serverVersion: facts.serverVersion,
        databaseBytes: facts.databaseBytes,
        rows: record?.tables,
        dumpBytes: record?.bytes,
        backupVsPgDump: compared(backups.tend, backups.standard, 1.1),
        restoreVsPgRestore: compared(
          restores.tend.map((run) => run.seconds),
          restores.standard,
          1.15,
        ),
        swapUnavailableSeconds: {
          ...roundSpread(spreadOf(restores.tend.map((run) => run.windowSeconds))),
          goal: 1,
        },
      };
    } finally {
      await cluster.remove();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = await postgresSuite.run();
  process.stdout.write(`${JSON.stringify({ postgres: figures }, null, 2)}\n`);
}
