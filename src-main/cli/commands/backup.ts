import path from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf } from '../../../src-shared/language/counts';
import { formatDateTime } from '../../../src-shared/language/dates';
import { backupKindName } from '../../../src-shared/language/names';
import { TendFailure } from '../../../src-shared/tend-failure';
import type {
  AppBackupList,
  BackupRecord,
  PrunePlan,
  UnavailableBackup,
} from '../../../src-shared/models/backups';
import type { CliContext } from '../cli-context';
import { readResult } from '../job-result';
import { registerSnapshotExport } from './repo';

const kinds = ['critical', 'full'] as const;

function formatRecord(record: BackupRecord, missing: boolean): string {
  const size = record.archiveBytes === null ? '-' : formatBytes(record.archiveBytes);
  const files = record.files === null ? '-' : String(record.files);
  const seconds = record.durationMs === null ? '-' : `${(record.durationMs / 1000).toFixed(1)}s`;
  const verified = record.state === 'completed' ? record.verifyState : '';
  // A completed backup whose archive is not there (or not whole) cannot be restored: say so
  // in the state column, where a person reads "completed" as "safe".
  const state = missing ? 'unusable' : record.state;
  return [
    record.id.padEnd(40),
    state.padEnd(11),
    size.padStart(9),
    files.padStart(7),
    seconds.padStart(7),
    verified,
  ].join('  ');
}

function formatPlan(plan: PrunePlan, applied: boolean): string {
  if (plan.decisions.length === 0) return 'No completed backups.';
  const lines = plan.decisions.map(
    (decision) =>
      `${decision.action === 'delete' ? (applied ? 'deleted' : 'delete ') : 'keep   '}  ${decision.id.padEnd(40)}  ${backupKindName(decision.kind).padEnd(16)}  ${decision.reason}`,
  );
  const verb = applied ? 'Deleted' : 'Would delete';
  const unusable = plan.decisions.filter((decision) => !decision.restorable);
  lines.push(
    '',
    `${verb} ${countOf(plan.deleteCount, 'backup')}, ${formatBytes(plan.freedBytes)}. Policy, for each kind of backup apart: ${plan.policy.daily} daily, ${plan.policy.weekly} weekly, ${plan.policy.monthly} monthly.`,
  );
  if (unusable.length > 0) {
    lines.push(
      `${countOf(unusable.length, 'backup')} cannot be restored and ${unusable.length === 1 ? 'fills' : 'fill'} no slot: ${unusable.map((decision) => decision.id).join(', ')}.`,
    );
  }
  return lines.join('\n');
}

function formatUnavailable(unavailable: ReadonlyArray<UnavailableBackup>): string[] {
  if (unavailable.length === 0) return [];
  return [
    '',
    `${countOf(unavailable.length, 'backup')} cannot be restored now:`,
    ...unavailable.map((item) => `  ${item.id}: ${item.reason}`),
  ];
}

/** The `tend backup` verbs: create, list, verify, prune, delete, import, export. */
export function registerBackupCommands(program: Command, context: CliContext): void {
  const { print, withEngine, followJob } = context;
  const backup = program
    .command('backup')
    .description('back up the data folder, list, verify and prune backups');

  backup
    .command('create')
    .description('write a backup now (exit 0 done, 4 another is running, 6 destination problem)')
    .option(
      '--kind <kind>',
      'critical (database, documents, indexes) or full (also models)',
      'critical',
    )
    .option('--dest <dir>', 'write to this folder instead of the destination in settings')
    .action(async (opts: { kind: string; dest?: string }, command: Command) => {
      if (!(kinds as ReadonlyArray<string>).includes(opts.kind)) {
        throw new TendFailure(
          'INVALID_INPUT',
          `--kind must be critical or full, not ${opts.kind}.`,
        );
      }
      await withEngine(command, async (engine) => {
        const job = await engine
          .call('backups:create', {
            kind: opts.kind,
            ...(opts.dest ? { destination: path.resolve(opts.dest) } : {}),
          })
          .catch(async (error: unknown) => {
            // Archives need a folder: here one can be given for this run, and a person whose
            // backups go to the repository is told how to back up there.
            if (error instanceof TendFailure && error.code === 'NO_DESTINATION') {
              const repository = (await engine.call('settings:get')).backup.repository;
              throw new TendFailure(
                error.code,
                `${error.message} Or pass --dest DIR.${repository ? ' Backups into the encrypted repository set in Settings: tend repo backup.' : ''}`,
              );
            }
            throw error;
          });
        const finished = await followJob(engine, job);
        const record = await readResult(finished, 'BackupRecord');
        print(command, record, () => {
          const lines = [
            `Backed up ${countOf(record.files ?? 0, 'file')} (${formatBytes(record.dataBytes ?? 0)} of data) into ${path.join(record.destination, record.fileName)} (${formatBytes(record.archiveBytes ?? 0)} archive) in ${((record.durationMs ?? 0) / 1000).toFixed(1)} s.`,
          ];
          for (const warning of record.warnings)
            lines.push(`warning: ${warning.path}: ${warning.message}`);
          return lines.join('\n');
        });
      });
    });

  backup
    .command('list')
    .description('the backup history, newest first')
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const { backups, unavailable } = await engine.call('backups:list');
        const unusable = new Set(unavailable.map((item) => item.id));
        // The archives only; the encrypted repository's snapshots are `tend repo snapshots`'s,
        // which the list says rather than "No backups yet" to a person whose backups go there.
        const { lastBackup } = await engine.call('root:info');
        const repositorySet = (await engine.call('settings:get')).backup.repository !== null;
        const snapshots =
          lastBackup?.encrypted || repositorySet
            ? `Encrypted snapshots are in the repository${lastBackup?.encrypted ? ` (the newest ${lastBackup.id.slice(0, 8)}, ${formatDateTime(lastBackup.finishedAt)})` : ''}: tend repo snapshots lists them.`
            : null;
        print(command, backups, () =>
          backups.length === 0
            ? snapshots
              ? `No archives. ${snapshots}`
              : 'No backups yet. Make one with: tend backup create'
            : [
                `${'id'.padEnd(40)}  ${'state'.padEnd(11)}  ${'size'.padStart(9)}  ${'files'.padStart(7)}  ${'took'.padStart(7)}  verified`,
                ...backups.map((record) => formatRecord(record, unusable.has(record.id))),
                ...formatUnavailable(unavailable),
                ...(snapshots ? ['', snapshots] : []),
              ].join('\n'),
        );
      });
    });

  backup
    .command('verify')
    .description('check an archive against its manifest (exit 7 when it is damaged)')
    .argument('<backup>', 'a backup id or archive file name')
    .option('--quick', 'only size and whole-archive hash, not every file')
    .action(async (ref: string, opts: { quick?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        const job = await engine.call('backups:verify', {
          id: ref,
          depth: opts.quick ? 'quick' : 'full',
        });
        const finished = await followJob(engine, job);
        const { reports } = await readResult(finished, 'Verify');
        print(command, finished.result, () =>
          reports
            .map(
              (report) =>
                `${report.id}: OK (${opts.quick ? 'quick check' : `${countOf(report.filesChecked, 'entry')} checked`}, ${formatBytes(report.bytesRead)} read in ${(report.durationMs / 1000).toFixed(1)} s)`,
            )
            .join('\n'),
        );
      });
    });

  backup
    .command('prune')
    .description('delete backups outside the retention policy (daily, weekly, monthly)')
    .option('--dry-run', 'only list what would be deleted and why')
    .action(async (opts: { dryRun?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        const plan = opts.dryRun
          ? await engine.call('backups:prune-plan')
          : await engine.call('backups:prune');
        print(command, plan, () => formatPlan(plan, !opts.dryRun));
      });
    });

  backup
    .command('delete')
    .description("delete one backup's archive, sidecar and record")
    .argument('<backup>', 'a backup id or archive file name')
    .action(async (ref: string, _options, command: Command) => {
      await withEngine(command, async (engine) => {
        const record = await engine.call('backups:delete', { id: ref });
        print(command, record, () => `Deleted ${record.id}.`);
      });
    });

  backup
    .command('import')
    .description(
      'read the sidecars in a folder back into the history (after a lost catalog); with --app, list or import the backups the app made itself',
    )
    .argument('[dir]', 'the folder; default the destination in settings')
    .option(
      '--app [file]',
      'the app’s own backups (memory_backup_*.tar.gz): list them, or import FILE (all not yet imported with --all)',
    )
    .option('--all', 'with --app: import every backup of the app not yet in the history')
    .option('--dry-run', 'with --app: say what an import would do, change nothing')
    .action(
      async (
        dir: string | undefined,
        opts: { app?: string | boolean; all?: boolean; dryRun?: boolean },
        command: Command,
      ) => {
        if (opts.app === undefined) {
          if (opts.all || opts.dryRun) {
            throw new TendFailure('INVALID_INPUT', '--all and --dry-run go with --app.');
          }
          await withEngine(command, async (engine) => {
            const result = await engine.call(
              'backups:import',
              dir ? { path: path.resolve(dir) } : {},
            );
            print(
              command,
              result,
              () => `Added ${countOf(result.added, 'backup')} to the history.`,
            );
          });
          return;
        }
        if (dir !== undefined) {
          throw new TendFailure(
            'INVALID_INPUT',
            `--app reads the app's own backup folder; give the file to --app, not ${dir}.`,
          );
        }
        await withEngine(command, async (engine) => {
          const listed = await engine.call('backups:app-list');
          const files =
            typeof opts.app === 'string'
              ? [opts.app]
              : opts.all
                ? listed.backups.filter((item) => item.importedAs === null).map((item) => item.file)
                : [];
          if (files.length === 0) {
            print(command, listed, () => appBackupLines(listed));
            return;
          }
          const results: Array<{ file: string; plan?: unknown; record?: BackupRecord }> = [];
          const lines: string[] = [];
          for (const file of files) {
            const answer = await engine.call('backups:app-import', {
              file,
              dryRun: opts.dryRun === true,
            });
            if (answer.plan) {
              const plan = answer.plan;
              results.push({ file, plan });
              lines.push(
                plan.alreadyImportedAs
                  ? `${file}: already in the history as ${plan.alreadyImportedAs}; nothing to do.`
                  : `${file}: would import ${countOf(plan.files, 'file')} (${formatBytes(plan.dataBytes)}) as a backup of ${plan.takenAt.slice(0, 19).replace('T', ' ')} (SHA-256 ${plan.sha256.slice(0, 12)}…).`,
              );
            } else if (answer.job) {
              const record = (await followJob(engine, answer.job)).result as BackupRecord;
              results.push({ file, record });
              lines.push(
                `${file}: in the history as ${record.id} (${countOf(record.files ?? 0, 'file')}).`,
              );
            }
          }
          print(command, results, () => lines.join('\n'));
        });
      },
    );

  // Any snapshot of the encrypted repository as one archive, as issue 12 names it.
  registerSnapshotExport(backup, context);
}

/** The app's own backups, one a line, with the history's backup each was imported as. */
function appBackupLines(listed: AppBackupList): string {
  if (!listed.appName) return 'This folder’s app makes no backups of its own.';
  if (listed.backups.length === 0) return `No backup by ${listed.appName} in ${listed.folder}/.`;
  return [
    `Backups made by ${listed.appName} (in ${listed.folder}/):`,
    ...listed.backups.map(
      (item) =>
        `  ${item.file}  ${formatBytes(item.bytes)}  ${item.importedAs ? `imported as ${item.importedAs}` : 'not imported (tend backup import --app FILE)'}`,
    ),
  ].join('\n');
}
