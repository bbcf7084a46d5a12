/**
 * `tend pg …` and `tend guard`: the PostgreSQL-backed bot of a postgres-app folder (seed
 * 003), what its operators did by hand with `backup-restore.sh` and `migration-workflow.sh`.
 * The migrations are `tend pg migrate apply|check`, because `tend migrate` already names the
 * assistant.db schema migration of the maintenance domain.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { TendFailure } from '../../../src-shared/tend-failure';
import type { BackupRecord } from '../../../src-shared/models/backups';
import type { JobRecord } from '../../../src-shared/models/jobs';
import { formatBytes } from '../../../src-shared/language/bytes';
import type { Engine } from '../../engine/engine';
import type {
  DatabaseBackupKind,
  PostgresCheck,
  PostgresService,
} from '../../engine/profiles/postgres-app/postgres-service';
import type { PasswordSource } from '../../engine/stores/postgres/connection';
import type { CliContext } from '../cli-context';
import { readResult } from '../job-result';

/**
 * The open root as a postgres-app folder. A folder Tend manages from before profiles were
 * remembered opens as the default profile; when it is detected as a postgres-app folder, or
 * has a database setting, it is reopened as one.
 */
async function postgresRoot(engine: Engine): Promise<PostgresService> {
  // Loaded when a `tend pg` verb runs, not at every command's start-up.
  const [
    { POSTGRES_APP_PROFILE_ID },
    { postgresServiceFor },
    { postgresSettingsFile },
    { detectProfile },
  ] = await Promise.all([
    import('../../engine/profiles/postgres-app/postgres-app-profile'),
    import('../../engine/profiles/postgres-app/postgres-service'),
    import('../../engine/profiles/postgres-app/postgres-settings'),
    import('../../engine/profiles/registry'),
  ]);
  let session = engine.requireSession();
  if (session.profile.id !== POSTGRES_APP_PROFILE_ID) {
    const detected = (await detectProfile(session.path)).detected === POSTGRES_APP_PROFILE_ID;
    const configured = await fs
      .access(postgresSettingsFile(session.state))
      .then(() => true)
      .catch(() => false);
    if (detected || configured) {
      session = await engine.openRoot(session.path, { profile: POSTGRES_APP_PROFILE_ID });
    }
  }
  return postgresServiceFor(session, engine);
}

function passwordSource(opts: { passwordEnv?: string; pgpass?: string }): PasswordSource {
  if (opts.passwordEnv && opts.pgpass) {
    throw new TendFailure(
      'INVALID_INPUT',
      'Give the password one way: --password-env or --pgpass.',
    );
  }
  if (opts.passwordEnv) return { from: 'env', variable: opts.passwordEnv };
  if (opts.pgpass) return { from: 'file', path: path.resolve(opts.pgpass) };
  return { from: 'none' };
}

function formatCheck(check: PostgresCheck): string {
  const { facts } = check;
  const lines = [
    `Database     ${facts.target}`,
    `Server       PostgreSQL ${facts.serverVersion}`,
    `Size         ${formatBytes(facts.databaseBytes)} in ${facts.tableCount} tables`,
    `pg_dump      ${facts.pgDump.version} (${facts.pgDump.path}), can dump this server`,
  ];
  for (const cache of check.caches) {
    lines.push(`Redis        ${cache.location ?? '(not named)'}: a cache, listed, never backed up`);
  }
  if (check.undoDatabases.length > 0) {
    lines.push(
      `Undo         ${check.undoDatabases.map((database) => database.name).join(', ')} (tend pg undo; tend pg drop-old --yes drops them)`,
    );
  }
  for (const dropped of check.recovery.droppedScratch) {
    lines.push(`Cleaned      ${dropped.name}, left by a restore that stopped part way`);
  }
  if (check.recovery.reopened) {
    lines.push(`Reopened     ${check.recovery.reopened}, closed by a swap that stopped part way`);
  }
  return lines.join('\n');
}

function describeBackup(record: BackupRecord): string {
  return `${record.id} into ${path.join(record.destination, record.fileName)} (${formatBytes(record.archiveBytes ?? 0)})`;
}

/** `tend pg …` and `tend guard`. */
export function registerPostgresCommands(program: Command, context: CliContext): void {
  const { io, print, withEngine, followJob } = context;

  /**
   * Follows a job, saying each new step on stderr (a dump has no total to draw a bar with):
   * a message is said once per step, the text before its colon ("restoring: 3 of 4 tables").
   */
  async function follow(engine: Engine, job: JobRecord): Promise<JobRecord> {
    let last: string | null = null;
    const off = engine.events.on('job:progress', (record) => {
      const message = record.id === job.id ? record.progress.message : null;
      const step = message?.split(':')[0] ?? null;
      if (message && step !== last) {
        io.stderr(`${message}\n`);
        last = step;
      }
    });
    try {
      return await followJob(engine, job);
    } finally {
      off();
    }
  }

  const pg = program
    .command('pg')
    .description(
      'the PostgreSQL database of a postgres-app folder: connect, check, back up, restore by swap, undo, migrate, usage',
    );

  pg.command('connect')
    .description(
      'check a database and save it as the folder’s (nothing is saved when the check fails)',
    )
    .argument('[url]', 'postgresql://USER@HOST:PORT/DATABASE, without a password')
    .option('--password-env <variable>', 'read the password from this environment variable')
    .option('--pgpass <file>', 'read it from this .pgpass-style file (chmod 600)')
    .action(
      async (
        url: string | undefined,
        opts: { passwordEnv?: string; pgpass?: string },
        command: Command,
      ) => {
        await withEngine(command, async (engine) => {
          const service = await postgresRoot(engine);
          if (!url) {
            const named = (await service.namedUrls()).filter((item) => /^postgres/i.test(item.url));
            throw new TendFailure(
              'INVALID_INPUT',
              named.length === 0
                ? 'Name the database: tend pg connect postgresql://USER@HOST:PORT/DATABASE --password-env VARIABLE.'
                : `Name the database. The folder names: ${named
                    .map(
                      (item) =>
                        `${item.url} (${item.file}${item.variable ? ` ${item.variable}` : ''}${item.hadPassword ? ', with a password Tend does not keep' : ''})`,
                    )
                    .join(
                      '; ',
                    )}. A compose service name (database) is reached from the host as localhost.`,
            );
          }
          const check = await service.connect(url, passwordSource(opts));
          print(
            command,
            check,
            () => `${formatCheck(check)}\nSaved: Tend looks after this database.`,
          );
        });
      },
    );

  pg.command('check')
    .description(
      'the adoption check: server version, size, table count, pg_dump found and compatible',
    )
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const check = await (await postgresRoot(engine)).check();
        print(command, check, () => formatCheck(check));
      });
    });

  const backupKinds = ['database', 'full'] as const;
  pg.command('backup')
    .description('back the database up (kind database), or it with the folder’s files (full)')
    .option('--kind <kind>', 'database (the database alone) or full (with the uploads)', 'database')
    .option('--dest <dir>', 'write to this folder instead of the destination in settings')
    .action(async (opts: { kind: string; dest?: string }, command: Command) => {
      if (!(backupKinds as ReadonlyArray<string>).includes(opts.kind)) {
        throw new TendFailure(
          'INVALID_INPUT',
          `--kind must be database or full, not ${opts.kind}.`,
        );
      }
      await withEngine(command, async (engine) => {
        const service = await postgresRoot(engine);
        const job = await service.startBackup(
          opts.kind as DatabaseBackupKind,
          opts.dest ? path.resolve(opts.dest) : undefined,
        );
        const record = await readResult(await follow(engine, job), 'BackupRecord');
        print(command, record, () => `Backed up ${describeBackup(record)}.`);
      });
    });

  pg.command('list')
    .description('the backups, newest first, with the database each holds; the undo databases')
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const service = await postgresRoot(engine);
        const backups = await service.listBackups();
        const undo = await service.undoDatabases();
        print(command, { backups, undoDatabases: undo }, () => {
          const lines = backups.map(
            ({ backup, database }) =>
              `${backup.id.padEnd(36)} ${backup.kind.padEnd(12)} ${formatBytes(backup.archiveBytes ?? 0).padStart(10)}  ${database ? `database ${database}` : 'files only'}`,
          );
          if (lines.length === 0) lines.push('No backups yet: tend pg backup.');
          for (const database of undo) lines.push(`undo database: ${database.name}`);
          return lines.join('\n');
        });
      });
    });

  pg.command('restore')
    .description(
      'restore the database from a backup by swap: a scratch copy, validated, renamed in; the old one kept as the undo',
    )
    .argument('<backup>', 'a backup id from tend pg list')
    .option(
      '--end-sessions',
      "end the app's connections for the swap (else Tend refuses while there are any)",
    )
    .option('--query <sql>', 'a query that must succeed on the restored copy before the swap')
    .action(
      async (ref: string, opts: { endSessions?: boolean; query?: string }, command: Command) => {
        await withEngine(command, async (engine) => {
          const service = await postgresRoot(engine);
          const job = await service.startRestore(ref, {
            endSessions: opts.endSessions ?? false,
            validationQuery: opts.query,
          });
          const result = await readResult(await follow(engine, job), 'PostgresRestore');
          const ended = Array.isArray(result.endedSessions) ? result.endedSessions.length : 0;
          print(command, result, () =>
            [
              `Restored ${result.database} from ${result.backup} by swap (${result.unavailableMs} ms without connections).`,
              ...(ended > 0 ? [`Ended ${ended} session(s) of the app.`] : []),
              result.undoDatabase
                ? `The database as it was is kept as ${result.undoDatabase}. To undo: ${result.undoCommand}`
                : 'There was no live database, so there is nothing to undo.',
            ].join('\n'),
          );
        });
      },
    );

  pg.command('undo')
    .description('swap the database as it was before the last restore back in')
    .option('--end-sessions', "end the app's connections for the swap")
    .action(async (opts: { endSessions?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        const result = await (
          await postgresRoot(engine)
        ).undo({
          endSessions: opts.endSessions ?? false,
        });
        print(
          command,
          result,
          () =>
            `Undone: ${result.database} is again the database restored from ${result.restoredFrom}; the one the restore brought is kept as ${result.keptAs}.`,
        );
      });
    });

  pg.command('drop-old')
    .description('drop the databases kept for undo (only with --yes)')
    .option('--yes', 'drop them')
    .action(async (opts: { yes?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        const service = await postgresRoot(engine);
        if (!opts.yes) {
          const names = (await service.undoDatabases()).map((database) => database.name);
          throw new TendFailure(
            'INVALID_INPUT',
            names.length === 0
              ? 'There are no undo databases to drop.'
              : `Nothing was dropped. These would be: ${names.join(', ')}. Add --yes to drop them (a restore cannot be undone after).`,
          );
        }
        const dropped = await service.dropUndoDatabases();
        print(command, { dropped }, () =>
          dropped.length === 0 ? 'There were no undo databases.' : `Dropped ${dropped.join(', ')}.`,
        );
      });
    });

  const migrate = pg
    .command('migrate')
    .description('numbered .sql migrations, each in a transaction after a pre-migration backup');
  migrate
    .command('apply')
    .description('apply the pending migrations of a folder (a failing one is rolled back whole)')
    .argument('<dir>', 'the folder of numbered .sql files')
    .option(
      '--dest <dir>',
      'write the pre-migration backup here instead of the destination in settings',
    )
    .action(async (dir: string, opts: { dest?: string }, command: Command) => {
      await withEngine(command, async (engine) => {
        const service = await postgresRoot(engine);
        const job = await service.startMigrations(
          path.resolve(dir),
          opts.dest ? path.resolve(opts.dest) : undefined,
        );
        const result = await readResult(await follow(engine, job), 'PostgresMigration');
        print(command, result, () =>
          result.applied.length === 0
            ? `Nothing to apply (${result.skipped} already applied).`
            : `Applied ${result.applied.join(', ')} after the backup ${result.backup}.`,
        );
      });
    });
  migrate
    .command('check')
    .description(
      'integrity: constraints validated, indexes valid, row counts; and migrations of DIR',
    )
    .argument('[dir]', 'a folder of migrations, to say which are applied, pending or changed')
    .action(async (dir: string | undefined, _opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const report = await (
          await postgresRoot(engine)
        ).checkIntegrity(dir ? path.resolve(dir) : undefined);
        print(command, report, () => {
          const { integrity, migrations } = report;
          const lines = [
            integrity.ok
              ? `Sound: ${integrity.tableCount} tables, every constraint validated and every index valid.`
              : 'Problems found:',
            ...integrity.invalidConstraints.map((name) => `  constraint not validated: ${name}`),
            ...integrity.invalidIndexes.map((name) => `  index not valid: ${name}`),
          ];
          if (migrations) {
            lines.push(
              `Migrations: ${migrations.applied.length} applied, ${migrations.pending.length} pending${migrations.changed.length > 0 ? `, ${migrations.changed.length} changed since applied (${migrations.changed.map((item) => item.name).join(', ')})` : ''}.`,
            );
          }
          return lines.join('\n');
        });
        if (!report.integrity.ok) {
          throw new TendFailure('PG_QUERY_FAILED', 'The database failed its integrity check.');
        }
      });
    });

  pg.command('usage')
    .description('the database’s size by table, with TOAST and indexes apart')
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const usage = await (await postgresRoot(engine)).usage();
        print(command, usage, () =>
          [
            `${usage.database}: ${formatBytes(usage.databaseBytes)}`,
            ...usage.tables.map(
              (table) =>
                `  ${`${table.schema}.${table.name}`.padEnd(28)} ${formatBytes(table.totalBytes).padStart(10)}  (table ${formatBytes(table.tableBytes)}, TOAST ${formatBytes(table.toastBytes)}, indexes ${formatBytes(table.indexBytes)})`,
            ),
          ].join('\n'),
        );
      });
    });

  program
    .command('guard')
    .description(
      'before updating the app: a pre-update backup of the database and the folder, and the command that restores it',
    )
    .option('--dest <dir>', 'write to this folder instead of the destination in settings')
    .action(async (opts: { dest?: string }, command: Command) => {
      await withEngine(command, async (engine) => {
        const service = await postgresRoot(engine);
        const job = await service.startBackup(
          'pre-update',
          opts.dest ? path.resolve(opts.dest) : undefined,
        );
        const record = await readResult(await follow(engine, job), 'BackupRecord');
        const { quoteArg } = await import('../../engine/profiles/postgres-app/postgres-service');
        const root = quoteArg(engine.requireSession().path);
        const restore = {
          database: `tend pg restore ${record.id} --root ${root} --end-sessions`,
          // Only the uploads: the rest of the archive is the database's dump, which the
          // line above restores by swap, never as a file in the folder.
          files: `tend restore apply ${record.id} --scope paths:backend/uploads --root ${root} --yes`,
        };
        print(command, { backup: record, restore }, () =>
          [
            `Backed up before the update: ${describeBackup(record)}.`,
            'If the update goes wrong, restore the database with:',
            `  ${restore.database}`,
            'and the uploads with:',
            `  ${restore.files}`,
            'Never run `docker-compose down -v`: it removes the database volume.',
          ].join('\n'),
        );
      });
    });
}
