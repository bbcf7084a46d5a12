/**
 * `tend schedule install|uninstall|status` and `tend run-due`: the folder's schedules run by
 * the system's own scheduler on a machine where the desktop app is not open.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { TendFailure } from '../../../src-shared/errors';
import type { UnattendedStatus } from '../../../src-shared/models/unattended';
import { defaultAppStateDir } from '../../engine/app-state';
import type { Engine } from '../../engine/engine';
import { listSchedules } from '../../engine/maintenance/schedule-overview';
import { execRunner } from '../../engine/schedule/platform/command-runner';
import { readTextOrNull } from '../../engine/schedule/platform/durable-file';
import {
  cronsToFollow,
  runDueCommand,
  type SchedulerEntrySpec,
} from '../../engine/schedule/platform/run-due-command';
import {
  installSchedulerEntry,
  schedulerEntryStatus,
  uninstallSchedulerEntry,
  type SchedulerEntryContext,
  type SchedulerEntryState,
} from '../../engine/schedule/platform/scheduler-entry';
import {
  recordRunDue,
  runDue,
  RunDueReportSchema,
  type RunDueReport,
} from '../../engine/schedule/run-due';
import type { CliContext } from '../cli-context';
import { exitCodeFor } from '../exit-codes';

// This file is src-main/cli/commands/schedule.ts; the command is bin/tend.mjs.
const TEND_SCRIPT = fileURLToPath(new URL('../../../bin/tend.mjs', import.meta.url));

/** This user's scheduler, as the CLI finds it. */
function schedulerContext(): SchedulerEntryContext {
  return {
    platform: process.platform,
    env: process.env,
    home: os.homedir(),
    user: os.userInfo().username,
    uid: process.getuid?.() ?? 0,
    run: execRunner,
    stateDir: defaultAppStateDir(),
  };
}

/** The entry for the engine's open folder: its command and its schedules now. */
async function entrySpec(engine: Engine): Promise<SchedulerEntrySpec> {
  const session = engine.requireSession();
  const schedules = await listSchedules(session, engine);
  return {
    root: session.path,
    command: runDueCommand({
      root: session.path,
      node: process.execPath,
      tendScript: TEND_SCRIPT,
      stateDir: process.env.TEND_STATE_DIR || undefined,
    }),
    crons: cronsToFollow(schedules),
  };
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
  if (state.lastTriggeredAt) lines.push(`  last fired ${state.lastTriggeredAt}`);
  if (lastPass) {
    const ran = lastPass.runs.filter((run) => run.outcome === 'started').length;
    lines.push(
      `  last run-due ${lastPass.finishedAt}: exit ${lastPass.exitCode ?? '?'}, ${ran === 0 ? 'nothing was due' : `${ran} run${ran === 1 ? '' : 's'}`}`,
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
    ? `last good backup ${backup.lastSuccessAt} (${backup.hoursWithout} h ago)`
    : 'no backup yet';
  return [`Backups: running, ${last}`, ...waiting].join('\n');
}

/** The last pass of run-due kept in Tend's state of the folder, or null. */
async function lastPass(engine: Engine): Promise<RunDueReport | null> {
  const text = await readTextOrNull(engine.requireSession().state.runDue);
  if (text === null) return null;
  try {
    const parsed = RunDueReportSchema.safeParse(JSON.parse(text));
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
  const { print, withEngine } = context;
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
        const state = await installSchedulerEntry(await entrySpec(engine), schedulerContext());
        print(command, state, () => formatEntry(state, null));
      });
    });
  schedule
    .command('uninstall')
    .description("remove the system scheduler's entry for the folder")
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const result = await uninstallSchedulerEntry(
          engine.requireSession().path,
          schedulerContext(),
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
        const state = await schedulerEntryStatus(await entrySpec(engine), schedulerContext());
        const last = await lastPass(engine);
        const unattended = await engine.call('unattended:status');
        print(command, { ...state, lastRunDue: last, unattended }, () =>
          [formatEntry(state, last), formatHealth(unattended)].join('\n'),
        );
      });
    });

  program
    .command('run-due')
    .description(
      'run what the schedules owe now, wait for it, and exit (for cron and the system scheduler): 0 ran or nothing due, 4 busy',
    )
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
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
