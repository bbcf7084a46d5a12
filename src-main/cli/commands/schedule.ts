/**
 * `tend schedule install|uninstall|status` and `tend run-due`: the folder's schedules run by
 * the system's own scheduler on a machine where the desktop app is not open.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { TendFailure } from '../../../src-shared/tend-failure';
import { formatAgo, formatDateTime } from '../../../src-shared/language/dates';
import type { UnattendedStatus } from '../../../src-shared/models/unattended';
import type { Engine } from '../../engine/engine';
import type { SchedulerEntrySpec } from '../../engine/schedule/platform/run-due-command';
import type {
  SchedulerEntryContext,
  SchedulerEntryState,
} from '../../engine/schedule/platform/scheduler-entry';
import type { RunDueReport } from '../../engine/schedule/run-due';
import type { CliContext } from '../cli-context';
import { exitCodeFor } from '../exit-codes';

/**
 * The engine's scheduler pieces, loaded when a schedule command runs: `tend --help` does not
 * load the job runner, the catalog and every domain behind `run-due`.
 */
async function schedulerParts() {
  const [appState, overview, runner, durable, command, entry, due] = await Promise.all([
    import('../../engine/app-state'),
    import('../../engine/maintenance/schedule-overview'),
    import('../../engine/schedule/platform/command-runner'),
    import('../../engine/fs/durable'),
    import('../../engine/schedule/platform/run-due-command'),
    import('../../engine/schedule/platform/scheduler-entry'),
    import('../../engine/schedule/run-due'),
  ]);
  return { ...appState, ...overview, ...runner, ...durable, ...command, ...entry, ...due };
}
type SchedulerParts = Awaited<ReturnType<typeof schedulerParts>>;

/** This user's scheduler, as the CLI finds it. */
function schedulerContext(parts: SchedulerParts): SchedulerEntryContext {
  return {
    platform: process.platform,
    env: process.env,
    home: os.homedir(),
    user: os.userInfo().username,
    uid: process.getuid?.() ?? 0,
    run: parts.execRunner,
    stateDir: parts.defaultAppStateDir(),
  };
}

/** The entry for the engine's open folder, and where its passphrase file came from. */
interface EntryPlan {
  readonly spec: SchedulerEntrySpec;
  /** Whether scheduled backups go to an encrypted repository (Settings). */
  readonly repositorySet: boolean;
  /** The passphrase file kept from the installed entry (TEND_PASSWORD_FILE not set here). */
  readonly keptPasswordFile: string | null;
}

/**
 * The entry for the engine's open folder: its command and its schedules now. The passphrase
 * file is TEND_PASSWORD_FILE's or, without it, the one the installed entry names while a
 * repository is set (installedPasswordFile says why).
 */
async function entryPlan(
  engine: Engine,
  parts: SchedulerParts,
  tendScript: string,
): Promise<EntryPlan> {
  const session = engine.requireSession();
  const schedules = await parts.listSchedules(session, engine);
  const repositorySet = (await engine.call('settings:get')).backup.repository !== null;
  const given = process.env.TEND_PASSWORD_FILE
    ? path.resolve(process.env.TEND_PASSWORD_FILE)
    : undefined;
  const keptPasswordFile =
    given === undefined && repositorySet
      ? await parts.installedPasswordFile(session.path, schedulerContext(parts))
      : null;
  const spec: SchedulerEntrySpec = {
    root: session.path,
    command: parts.runDueCommand({
      root: session.path,
      node: process.execPath,
      tendScript,
      stateDir: process.env.TEND_STATE_DIR || undefined,
      passwordFile: given ?? keptPasswordFile ?? undefined,
    }),
    crons: parts.cronsToFollow(schedules),
  };
  return { spec, repositorySet, keptPasswordFile };
}

/** The passphrase's warnings, and the file kept from the installed entry, on stderr. */
function passphraseNotes(plan: EntryPlan, io: CliContext['io']): void {
  if (plan.keptPasswordFile) {
    io.stderr(
      `Passphrase file: ${plan.keptPasswordFile}, as the installed entry names it (TEND_PASSWORD_FILE is not set here).\n`,
    );
  }
  for (const warning of passphraseWarnings(
    plan.repositorySet,
    plan.spec.command.env.TEND_PASSWORD_FILE,
  )) {
    io.stderr(`! ${warning}\n`);
  }
}

/**
 * What the person should know about the passphrase when scheduled backups go to an encrypted
 * repository: the system's scheduler has no keychain, and TEND_PASSWORD is never written into
 * its entry (a secret in a file others may read), so it reads TEND_PASSWORD_FILE's file.
 */
export function passphraseWarnings(
  repositorySet: boolean,
  passwordFile: string | undefined,
): string[] {
  if (!repositorySet) return [];
  if (!passwordFile) {
    return [
      'Scheduled backups go to the encrypted repository, and the system scheduler cannot open it without its passphrase: put the passphrase in a file only you can read (chmod 600), then run "TEND_PASSWORD_FILE=FILE tend schedule install" again.',
    ];
  }
  let mode: number;
  try {
    mode = fs.statSync(passwordFile).mode;
  } catch (error) {
    return [
      `The passphrase file ${passwordFile} (TEND_PASSWORD_FILE) cannot be read (${(error as NodeJS.ErrnoException).code}): scheduled backups into the repository will fail until it can.`,
    ];
  }
  return process.platform !== 'win32' && (mode & 0o077) !== 0
    ? [
        `The passphrase file ${passwordFile} can be read by other users (mode ${(mode & 0o777).toString(8)}): run "chmod 600 ${passwordFile}".`,
      ]
    : [];
}

const kindWords: Record<SchedulerEntryState['kind'], string> = {
  systemd: 'systemd user timer',
  launchd: 'launchd agent',
  'task-scheduler': 'Task Scheduler task',
};

function formatEntry(state: SchedulerEntryState, lastPass: RunDueReport | null): string {
  const lines = [
    `${kindWords[state.kind]} ${state.name}: ${state.installed ? (state.upToDate ? 'installed' : 'installed, out of date') : 'not installed'}${state.enabled === null ? '' : state.enabled ? ', enabled' : ', not enabled'}`,
  ];
  if (state.installed) lines.push(`  runs at   ${state.when.join('; ')}`);
  for (const file of state.files) lines.push(`  file      ${file}`);
  if (state.lastTriggeredAt) lines.push(`  last fired ${formatDateTime(state.lastTriggeredAt)}`);
  if (lastPass) {
    const ran = lastPass.runs.filter((run) => run.outcome === 'started').length;
    lines.push(
      `  last run-due ${formatDateTime(lastPass.finishedAt)}: exit ${lastPass.exitCode ?? '?'}, ${ran === 0 ? 'nothing was due' : `${ran} run${ran === 1 ? '' : 's'}`}`,
    );
  } else lines.push('  last run-due never');
  if (state.problem) lines.push(`  ! ${state.problem}`);
  return lines.join('\n');
}

/** Whether backups still happen, in one or two lines. */
function formatHealth(status: UnattendedStatus): string {
  const { backup } = status;
  const waiting = status.waiting.map((run) => `  … ${run.id}: ${run.reason}`);
  if (backup.state === 'stopped') {
    return [
      `Backups: ${backup.headline}`,
      ...(backup.detail ? [`  ${backup.detail}`] : []),
      ...waiting,
    ].join('\n');
  }
  const last = backup.lastSuccessAt
    ? `last good backup ${formatDateTime(backup.lastSuccessAt)} (${formatAgo(backup.lastSuccessAt)})`
    : 'no backup yet';
  return [`Backups: running, ${last}`, ...waiting].join('\n');
}

/** The last pass of run-due kept in Tend's state of the folder, or null. */
async function lastPass(engine: Engine, parts: SchedulerParts): Promise<RunDueReport | null> {
  const text = await parts.readTextOrNull(engine.requireSession().state.runDue);
  if (text === null) return null;
  try {
    const parsed = parts.RunDueReportSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The failure a pass ends with, or null: busy (DATA_LOCKED, exit 4) first, else the first
 * schedule whose run failed (a missed disk is DESTINATION_UNAVAILABLE, exit 6). The report
 * holds each schedule's last run: one the sleep cut off that then succeeded counts as done.
 */
export function runDueFailure(report: RunDueReport): TendFailure | null {
  if (report.busy) {
    return new TendFailure(
      'DATA_LOCKED',
      'Another Tend process had this data folder; what was due stays due for the next run.',
    );
  }
  for (const run of report.runs) {
    if (run.error) {
      return new TendFailure(run.error.code, `${run.scheduleId}: ${run.error.message}`);
    }
  }
  return null;
}

function formatRunDue(report: RunDueReport): string {
  if (report.runs.length === 0) return `Nothing was due for ${report.root}.`;
  return report.runs
    .map((run) => {
      const what =
        run.outcome === 'started'
          ? run.jobId === null
            ? 'nothing to do'
            : (run.state ?? 'started')
          : run.outcome === 'taken'
            ? 'run by another Tend'
            : run.outcome;
      return `${run.scheduleId.padEnd(24)} ${what}${run.message ? `: ${run.message}` : ''}`;
    })
    .join('\n');
}

/** Registers `tend schedule …` and `tend run-due`. */
export function registerScheduleCommands(program: Command, context: CliContext): void {
  const { io, print, withEngine, options } = context;
  const schedule = program
    .command('schedule')
    .description(
      "run the folder's schedules from the system's scheduler (systemd, launchd, Task Scheduler) when Tend is not open",
    );
  schedule
    .command('install')
    .description("write (or update) the system scheduler's entry that runs tend run-due")
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const parts = await schedulerParts();
        const plan = await entryPlan(engine, parts, options.tendScript);
        const state = await parts.installSchedulerEntry(plan.spec, schedulerContext(parts));
        print(command, state, () => formatEntry(state, null));
        passphraseNotes(plan, io);
      });
    });
  schedule
    .command('uninstall')
    .description("remove the system scheduler's entry for the folder")
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const parts = await schedulerParts();
        const result = await parts.uninstallSchedulerEntry(
          engine.requireSession().path,
          schedulerContext(parts),
        );
        print(command, result, () =>
          [
            result.removed.length === 0
              ? 'Nothing was installed for this folder.'
              : `Removed ${result.removed.join(', ')}`,
            ...(result.problem ? [`! ${result.problem}`] : []),
          ].join('\n'),
        );
      });
    });
  schedule
    .command('status')
    .description('what is installed for the folder, whether it is up to date, when it last ran')
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const parts = await schedulerParts();
        const plan = await entryPlan(engine, parts, options.tendScript);
        const state = await parts.schedulerEntryStatus(plan.spec, schedulerContext(parts));
        const last = await lastPass(engine, parts);
        const unattended = await engine.call('unattended:status');
        print(command, { ...state, lastRunDue: last, unattended }, () =>
          [formatEntry(state, last), formatHealth(unattended)].join('\n'),
        );
        if (state.installed) passphraseNotes(plan, io);
      });
    });

  program
    .command('run-due')
    .description(
      'run what the schedules owe now, wait for it, and exit (for cron and the system scheduler): 0 ran or nothing due, 4 busy',
    )
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const { runDue, recordRunDue } = await schedulerParts();
        const session = engine.requireSession();
        const startedAt = new Date().toISOString();
        let report: RunDueReport;
        try {
          report = await runDue(session, engine);
        } catch (error) {
          if (!(error instanceof TendFailure) || error.code !== 'DATA_LOCKED') throw error;
          // Busy before anything started: kept too, so `tend schedule status` can tell.
          const busy = { root: session.path, startedAt, finishedAt: new Date().toISOString() };
          await recordRunDue(session, { ...busy, runs: [], busy: true, exitCode: 4 });
          throw error;
        }
        const failure = runDueFailure(report);
        const finished: RunDueReport = {
          ...report,
          exitCode: failure ? exitCodeFor(failure.code) : 0,
        };
        await recordRunDue(session, finished);
        print(command, finished, () => formatRunDue(finished));
        if (failure) throw failure;
      });
    });
}
