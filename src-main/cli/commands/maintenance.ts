import path from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf, formatCount, nounFor } from '../../../src-shared/language/counts';
import { formatDateTime, formatDay } from '../../../src-shared/language/dates';
import { jobStateNames } from '../../../src-shared/language/names';
import { TendFailure } from '../../../src-shared/tend-failure';
import type {
  ConflictChoice,
  ConflictResolution,
  LegacyMigrationPlan,
  LegacyMigrationReport,
  RecordFormat,
  RecordKind,
  SchemaMigrationReport,
  SchemaStatus,
} from '../../../src-shared/models/maintenance';
import type { CliContext } from '../cli-context';
import { readResult } from '../job-result';
import { wholeOption } from '../option-values';

/** The schemas (and zod) load when a command runs, not for `tend --help`. */
const schemas = () => import('../../../src-shared/models/maintenance');

async function parseResolution(value: string): Promise<ConflictResolution> {
  const { ConflictResolutionSchema } = await schemas();
  const parsed = ConflictResolutionSchema.safeParse(value);
  if (!parsed.success) {
    throw new TendFailure(
      'INVALID_INPUT',
      `--resolve must be ask, keep-newer or keep-both, not ${value}.`,
    );
  }
  return parsed.data;
}

async function parseChoices(list: ReadonlyArray<string>): Promise<Record<string, ConflictChoice>> {
  const { ConflictChoiceSchema } = await schemas();
  const choices: Record<string, ConflictChoice> = {};
  for (const item of list) {
    const at = item.lastIndexOf('=');
    const choice = ConflictChoiceSchema.safeParse(item.slice(at + 1));
    if (at <= 0 || !choice.success) {
      throw new TendFailure(
        'INVALID_INPUT',
        `--choose takes data/path=keep-newer|keep-both|keep-current, not ${item}.`,
      );
    }
    choices[item.slice(0, at)] = choice.data;
  }
  return choices;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function formatSchema(status: SchemaStatus): string {
  const notice = status.notice ? `\n${status.notice}` : '';
  if (status.current === null) return `assistant.db: none yet.${notice}`;
  if (status.pending.length === 0)
    return `assistant.db: schema version ${status.current} (current).${notice}`;
  return (
    [
      `assistant.db: schema version ${status.current}, this Tend knows ${status.latest}. Pending:`,
      ...status.pending.map((m) => `  ${String(m.version).padStart(3, '0')} ${m.name}`),
    ].join('\n') + notice
  );
}

/** The notices of maintenance work that stopped before its end, for `tend info`. */
export function maintenanceNotices(schema: SchemaStatus): string[] {
  return schema.notice ? [schema.notice] : [];
}

function formatPlan(plan: LegacyMigrationPlan): string {
  if (plan.files === 0) return 'Legacy data/: none, nothing to migrate.';
  const lines = plan.moves.map((move) => {
    const note = move.existing
      ? `  (there: ${formatBytes(move.existing.bytes)}, ${formatDay(move.existing.modifiedAt)}; legacy: ${formatBytes(move.bytes)}, ${formatDay(move.legacyModifiedAt)})`
      : '';
    return `  ${move.action.padEnd(14)} ${move.from} → ${move.to}${note}`;
  });
  return [
    `Legacy data/: ${countOf(plan.files, 'file')}, ${formatBytes(plan.bytes)}; ${formatBytes(plan.bytesToCopy)} to copy, ${formatBytes(plan.freeBytes)} free.`,
    ...lines,
    plan.unresolved > 0
      ? `${countOf(plan.unresolved, 'conflict')} ${nounFor(plan.unresolved, 'conflict') === 'conflict' ? 'waits' : 'wait'} for a choice: --resolve keep-newer|keep-both, or --choose data/path=keep-newer|keep-both|keep-current.`
      : 'No conflict waits for a choice.',
  ].join('\n');
}

async function inferFormat(file: string, given: string | undefined): Promise<RecordFormat> {
  const { RecordFormatSchema } = await schemas();
  const raw = given ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  const parsed = RecordFormatSchema.safeParse(raw);
  if (!parsed.success)
    throw new TendFailure('INVALID_INPUT', `--format must be jsonl or csv, not ${raw}.`);
  return parsed.data;
}

async function parseKind(kind: string): Promise<RecordKind> {
  const { RecordKindSchema } = await schemas();
  const parsed = RecordKindSchema.safeParse(kind);
  if (!parsed.success) {
    throw new TendFailure(
      'INVALID_INPUT',
      `The kind must be collections, chat-sessions or interactions, not ${kind}.`,
    );
  }
  return parsed.data;
}

/** The `tend` verbs of the maintenance domain. */
export function registerMaintenanceCommands(program: Command, context: CliContext): void {
  const { print, withEngine, followJob } = context;

  const migrate = program
    .command('migrate')
    .description('migrate the legacy data/ folder and the assistant database schema');
  migrate
    .command('plan')
    .description('preview: the schema steps pending, every legacy file move and conflict')
    .option('--resolve <how>', 'settle conflicts: ask, keep-newer or keep-both', 'ask')
    .option(
      '--choose <path=choice>',
      'one conflict: data/x=keep-newer|keep-both|keep-current',
      collect,
      [],
    )
    .action(async (opts: { resolve: string; choose: string[] }, command: Command) => {
      await withEngine(command, async (engine) => {
        const schema = await engine.call('schema:status');
        const legacy = await engine.call('legacy:plan', {
          resolution: await parseResolution(opts.resolve),
          choices: await parseChoices(opts.choose),
        });
        print(command, { schema, legacy }, () => `${formatSchema(schema)}\n${formatPlan(legacy)}`);
      });
    });
  migrate
    .command('apply')
    .description('apply the pending schema migrations, then migrate data/ (each after a backup)')
    .option('--resolve <how>', 'settle conflicts: ask, keep-newer or keep-both', 'ask')
    .option(
      '--choose <path=choice>',
      'one conflict: data/x=keep-newer|keep-both|keep-current',
      collect,
      [],
    )
    .option('--dry-run', 'report what would move, change nothing')
    .action(
      async (opts: { resolve: string; choose: string[]; dryRun?: boolean }, command: Command) => {
        await withEngine(command, async (engine) => {
          const out: {
            schema: SchemaMigrationReport | null;
            legacy: LegacyMigrationReport | null;
          } = {
            schema: null,
            legacy: null,
          };
          const status = await engine.call('schema:status');
          if ((status.pending.length > 0 || status.notice) && !opts.dryRun) {
            const job = await followJob(engine, await engine.call('schema:migrate'));
            out.schema = await readResult(job, 'SchemaMigration');
          }
          const legacy = await engine.call('legacy:status');
          if (legacy.hasLegacyData) {
            const job = await followJob(
              engine,
              await engine.call('legacy:apply', {
                resolution: await parseResolution(opts.resolve),
                choices: await parseChoices(opts.choose),
                dryRun: Boolean(opts.dryRun),
              }),
            );
            out.legacy = await readResult(job, 'LegacyMigration');
          }
          print(command, out, () => {
            const lines: string[] = [];
            if (out.schema && status.notice) {
              lines.push(
                `assistant.db: the interrupted migration is finished; it is at version ${out.schema.to}.`,
              );
            } else if (out.schema) {
              lines.push(
                `assistant.db: migrated from version ${out.schema.from} to ${out.schema.to}` +
                  (out.schema.backupId
                    ? ` (backup ${out.schema.backupId})`
                    : ' (no backup destination set; undo copy kept until it succeeded)'),
              );
            } else if (status.pending.length > 0) {
              lines.push(
                `assistant.db: ${countOf(status.pending.length, 'schema step')} would be applied.`,
              );
            } else lines.push(formatSchema(status));
            if (out.legacy) {
              const r = out.legacy;
              lines.push(
                `${r.dryRun ? 'Would migrate' : 'Migrated'} data/: ${r.moved} moved, ${r.copied} copied, ${r.droppedIdentical} identical dropped, ${r.setAside} set aside (${formatBytes(r.bytes)}).` +
                  (r.dryRun ? '' : ' Undo with: tend migrate rollback'),
              );
              if (!r.dryRun && r.droppedIdentical + r.setAside > 0) {
                lines.push(
                  `Set-aside files are kept in ${r.setAsideFolder}/ until you delete them; Tend never does.`,
                );
              }
              if (r.leftInPlace.length > 0) {
                lines.push(
                  `${countOf(r.leftInPlace.length, 'file')} arrived in data/ while it ran and wait for a choice (tend migrate plan); they stay in data/: ${r.leftInPlace.join(', ')}`,
                );
              }
            } else lines.push('Legacy data/: none.');
            return lines.join('\n');
          });
        });
      },
    );
  migrate
    .command('rollback')
    .description('undo the last legacy data/ migration')
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const job = await followJob(engine, await engine.call('legacy:rollback'));
        const report = await readResult(job, 'LegacyMigration');
        print(command, report, () =>
          [
            `Put back ${countOf(report.moved, 'file')} into data/.`,
            report.notPutBack.length > 0
              ? `${countOf(report.notPutBack.length, 'file')} stay in the new layout, because a new file took their place in data/: ${report.notPutBack.join(', ')}`
              : null,
            report.keptAside.length > 0
              ? `${countOf(report.keptAside.length, 'file')} set aside could not be put back (their place is taken) and are kept where they wait: ${report.keptAside.join(', ')}`
              : null,
          ]
            .filter(Boolean)
            .join('\n'),
        );
      });
    });

  const archive = program.command('archive').description('the analytics tiers: hot, warm, cold');
  archive
    .command('run')
    .description('move interactions past the hot days into the warm and cold tiers')
    .option('--dry-run', 'count what would move, change nothing')
    .action(async (opts: { dryRun?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        const job = await followJob(
          engine,
          await engine.call('analytics:archive', { dryRun: Boolean(opts.dryRun) }),
        );
        const r = await readResult(job, 'Archival');
        print(command, r, () =>
          [
            r.analytics
              ? `${r.dryRun ? 'Would move' : 'Moved'} ${countOf(r.rowsMoved, 'row')} of whole months out of the hot tier:`
              : `${r.dryRun ? 'Would move' : 'Moved'} ${countOf(r.rowsMoved, 'interaction')} older than ${r.hotCutoff} (${r.monthsMoved.join(', ') || 'no month'}).`,
            ...(r.analytics
              ? r.analytics.tables.map(
                  (t) =>
                    `  ${t.hotTable} → ${t.warmTable}: ${r.dryRun ? 'would move' : 'moved'} ${countOf(t.rowsMoved, 'row')} before ${t.hotCutoff} (${t.monthsMoved.join(', ') || 'no month'}); ${t.warmRowsToCold} warm rows to the cold tier.`,
                )
              : []),
            r.analytics
              ? `Cold segments written: ${r.coldFilesWritten}. ${r.dryRun ? 'Would anonymise' : 'Anonymised'} ${countOf(r.analytics.rowsAnonymised, 'row')} older than ${r.analytics.scrubCutoff ?? '—'} that stay.`
              : `Warm days deleted: ${r.warmDaysDeleted}; cold files written: ${r.coldFilesWritten}, deleted: ${r.coldFilesDeleted}.`,
            r.analytics?.resumed
              ? `A run stopped half-way through ${r.analytics.resumed.table} ${r.analytics.resumed.month} was ${r.analytics.resumed.outcome === 'finished' ? 'finished' : 'rolled back'}.`
              : null,
            r.rowsRecovered > 0 ? `Finished an interrupted run: ${r.rowsRecovered} rows.` : null,
            `Freed ${formatBytes(r.bytesFreed)} in ${(r.durationMs / 1000).toFixed(1)} s.`,
          ]
            .filter(Boolean)
            .join('\n'),
        );
      });
    });
  archive
    .command('tiers')
    .description('what each tier holds, and the retention policy')
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const t = await engine.call('analytics:tiers');
        print(command, t, () =>
          [
            `Hot   ${countOf(t.hot.rows, 'row')} since ${t.hot.oldest ? formatDay(t.hot.oldest) : '—'} (${formatBytes(t.hot.bytes)})`,
            `Warm  ${countOf(t.warm.interactions, 'interaction')} over ${countOf(t.warm.days, 'day')}, ${t.warm.oldest ? formatDay(t.warm.oldest) : '—'} to ${t.warm.newest ? formatDay(t.warm.newest) : '—'} (${formatBytes(t.warm.bytes)})`,
            `Cold  ${countOf(t.cold.rows, 'row')} in ${countOf(t.cold.files, 'file')} over ${countOf(t.cold.months, 'month')} (${formatBytes(t.cold.bytes)})`,
            t.policy
              ? `Policy  hot ${t.policy.hotDays} d, warm ${t.policy.warmDays} d, cold ${t.policy.coldDays} d, scrub after ${t.policy.scrubAfterDays ?? 'never'} d`
              : 'Policy  — (none kept by Tend for this folder)',
          ].join('\n'),
        );
      });
    });

  archive
    .command('policy')
    .description('show or change the retention policy: days hot, warm, cold, and scrub age')
    .option('--hot <days>', 'days of full rows in assistant.db')
    .option('--warm <days>', 'days of daily aggregates in history.db')
    .option('--cold <days>', 'days of compressed archives before deletion')
    .option('--scrub <days>', "days before the privacy scrub applies, or 'off'")
    .action(
      async (
        opts: { hot?: string; warm?: string; cold?: string; scrub?: string },
        command: Command,
      ) => {
        // Checked before the folder is opened: a mistyped number is named as the option it is.
        const days = (value: string | undefined, name: string, max: number) =>
          wholeOption(value, name, { min: 1, max });
        const hot = days(opts.hot, '--hot', 3650);
        const warm = days(opts.warm, '--warm', 36500);
        const cold = days(opts.cold, '--cold', 36500);
        const scrub = opts.scrub === 'off' ? null : days(opts.scrub, '--scrub', 36500);
        await withEngine(command, async (engine) => {
          let policy = await engine.call('retention:get');
          if (opts.hot || opts.warm || opts.cold || opts.scrub) {
            policy = await engine.call('retention:set', {
              policy: {
                ...policy,
                hotDays: hot ?? policy.hotDays,
                warmDays: warm ?? policy.warmDays,
                coldDays: cold ?? policy.coldDays,
                scrubAfterDays: scrub === undefined ? (policy.scrubAfterDays ?? 30) : scrub,
              },
            });
          }
          print(
            command,
            policy,
            () =>
              `Interactions: hot ${policy.hotDays} days, warm ${policy.warmDays} days, cold ${policy.coldDays} days; scrub ${policy.scrubAfterDays === null ? 'off' : `after ${policy.scrubAfterDays} days`}.`,
          );
        });
      },
    );

  program
    .command('scrub')
    .description(
      'replace identifiers and personal data in old interactions (salted hashes, redaction)',
    )
    .option('--dry-run', 'count what would change, change nothing')
    .action(async (opts: { dryRun?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        const job = await followJob(
          engine,
          await engine.call('scrub:run', { dryRun: Boolean(opts.dryRun) }),
        );
        const r = await readResult(job, 'Scrub');
        print(command, r, () =>
          r.cutoff === null
            ? 'The scrub is off (no age set in the retention policy).'
            : `${r.dryRun ? 'Would scrub' : 'Scrubbed'} ${countOf(r.rows, 'interaction')} older than ${r.cutoff}: ${formatCount(r.ipsHashed)} IPs hashed, ${formatCount(r.emailsRedacted)} e-mails, ${formatCount(r.phonesRedacted)} phone numbers and ${formatCount(r.ipsRedacted)} IPs redacted in queries.`,
        );
      });
    });

  program
    .command('export')
    .description('export collections, chat-sessions or interactions as JSON Lines or CSV')
    .argument('<kind>', 'collections, chat-sessions or interactions')
    .argument('<file>', 'where to write (.jsonl or .csv)')
    .option('--format <format>', 'jsonl or csv (default: from the file name)')
    .option('--force', 'replace the file if it exists')
    .action(
      async (
        kind: string,
        file: string,
        opts: { format?: string; force?: boolean },
        command: Command,
      ) => {
        await withEngine(command, async (engine) => {
          const target = path.resolve(file);
          const job = await followJob(
            engine,
            await engine.call('records:export', {
              kind: await parseKind(kind),
              format: await inferFormat(target, opts.format),
              path: target,
              replace: Boolean(opts.force),
            }),
          );
          const r = await readResult(job, 'RecordTransfer');
          print(
            command,
            r,
            () =>
              `Exported ${formatCount(r.records)} ${r.kind} to ${r.path} (${formatBytes(r.bytes)}).`,
          );
        });
      },
    );

  program
    .command('import-records')
    .description(
      'import collections, chat-sessions or interactions from JSON Lines or CSV (records already there are skipped)',
    )
    .argument('<kind>', 'collections, chat-sessions or interactions')
    .argument('<file>', 'the file to read (.jsonl or .csv)')
    .option('--format <format>', 'jsonl or csv (default: from the file name)')
    .option('--dry-run', 'check every record and count what is new; write nothing')
    .action(
      async (
        kind: string,
        file: string,
        opts: { format?: string; dryRun?: boolean },
        command: Command,
      ) => {
        await withEngine(command, async (engine) => {
          const source = path.resolve(file);
          const job = await followJob(
            engine,
            await engine.call('records:import', {
              kind: await parseKind(kind),
              format: await inferFormat(source, opts.format),
              path: source,
              dryRun: Boolean(opts.dryRun),
            }),
          );
          const r = await readResult(job, 'RecordTransfer');
          print(
            command,
            r,
            () =>
              `${r.dryRun ? 'Would import' : 'Imported'} ${r.records} new ${r.kind} from ${r.path}` +
              (r.skipped > 0 ? `; ${r.skipped} already in the store, left as they are.` : '.'),
          );
        });
      },
    );

  const schedules = program
    .command('schedules')
    .description('every scheduled job: list, run now, pause, resume');
  schedules
    .command('list')
    .description('each scheduled job with its last run, outcome and next run')
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const { schedules: list } = await engine.call('schedule:list');
        print(
          command,
          list,
          () =>
            list
              .map(
                (s) =>
                  `${s.id.padEnd(28)} ${s.cron.padEnd(12)} ${s.paused ? 'paused ' : 'active '} last ${s.lastRunAt ? formatDateTime(s.lastRunAt) : '—'} ${s.lastJob ? `(${jobStateNames[s.lastJob.state]})` : ''}  next ${s.nextRunAt ? formatDateTime(s.nextRunAt) : '—'}  ${s.title}`,
              )
              .join('\n') || 'No scheduled jobs.',
        );
      });
    });
  for (const [verb, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    schedules
      .command(verb)
      .description(`${verb} a scheduled job`)
      .argument('<id>', 'the scheduled job, as tend schedules list shows it')
      .action(async (id: string, _opts, command: Command) => {
        await withEngine(command, async (engine) => {
          const status = await engine.call('schedule:pause', { id, paused });
          print(command, status, () => `${status.id} is ${status.paused ? 'paused' : 'active'}.`);
        });
      });
  }
  schedules
    .command('run')
    .description('run a scheduled job now')
    .argument('<id>', 'the scheduled job, as tend schedules list shows it')
    .action(async (id: string, _opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const { job } = await engine.call('schedule:run-now', { id });
        if (!job) {
          print(command, { job: null }, () => `${id}: nothing to do.`);
          return;
        }
        const finished = await followJob(engine, job);
        print(command, finished, () => `${finished.title}: ${jobStateNames[finished.state]}.`);
      });
    });
}
