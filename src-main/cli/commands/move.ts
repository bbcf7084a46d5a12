import path from 'node:path';
import type { Command } from 'commander';
import { TendFailure } from '../../../src-shared/tend-failure';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf } from '../../../src-shared/language/counts';
import { formatDateTime } from '../../../src-shared/language/dates';
import type {
  ConfigChange,
  MovePlan,
  MoveReport,
  MoveStatus,
} from '../../../src-shared/models/move';
import type { CliContext } from '../cli-context';
import { throwIfPlanRefused } from '../refused-plan';

/** A finished move job's result, checked by its schema (loaded with the job, not at start-up). */
async function moveReportOf(result: unknown): Promise<MoveReport> {
  const { MoveReportSchema } = await import('../../../src-shared/models/move');
  return MoveReportSchema.parse(result);
}

/** One configuration change as a person reads it. */
export function formatChange(change: ConfigChange): string {
  switch (change.kind) {
    case 'env':
      return `  Put in the compose file or service unit: ${change.line}\n    ${change.note}`;
    case 'settings-file':
      return change.applies
        ? `  Tend writes ${change.key} in ${change.file}: ${change.from} → ${change.to} (the old value is kept for move back)`
        : `  ${change.note}`;
    case 'link':
      return `  A link at ${change.at} → ${change.to}\n    ${change.note}`;
    case 'tend':
      return `  Tend's record of the folder: ${change.from} → ${change.to}`;
  }
}

/** A move plan as a person reads it in a terminal. */
export function formatMovePlan(plan: MovePlan): string {
  const lines = [
    `From        ${plan.source}`,
    `To          ${plan.resolvedTarget}${plan.targetExists ? ' (an empty folder)' : ' (made by the move)'}`,
    `How         ${plan.method === 'rename' ? 'one rename (the same disk)' : 'copy every file, fsync, compare SHA-256; databases through SQLite’s backup API'}`,
    `Moves       ${countOf(plan.files, 'file')} in ${countOf(plan.folders, 'folder')}, ${formatBytes(plan.bytes)}`,
    `Disk        ${plan.method === 'rename' ? 'nothing more is needed' : `needs ${formatBytes(plan.space.neededBytes)} (a margin of ${formatBytes(plan.space.marginBytes)} included)`}, ${formatBytes(plan.space.freeBytes)} free there`,
    '',
    'What changes in how the app finds its data',
    ...plan.changes.map(formatChange),
  ];
  if (plan.method === 'copy') {
    lines.push(
      '',
      'The old folder is kept (renamed beside it) until you remove it: tend move forget-old.',
    );
  }
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  if (plan.refusals.length > 0) {
    lines.push('', 'This move cannot go ahead:');
    for (const refusal of plan.refusals) lines.push(`  ${refusal.message} (${refusal.code})`);
  }
  return lines.join('\n');
}

function formatReport(report: MoveReport, back: boolean): string {
  const r = report.record;
  const lines = [
    back
      ? `Moved back to ${r.from} in ${report.seconds.toFixed(1)} s.`
      : `Moved ${countOf(r.files, 'file')} (${formatBytes(r.bytes)}) to ${r.to} in ${report.seconds.toFixed(1)} s, ${r.method === 'rename' ? 'by one rename' : 'every file checked'}.`,
  ];
  for (const check of report.checks) {
    lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`);
  }
  if (!back) {
    const manual = r.changes.filter((change) => change.kind === 'env');
    if (manual.length > 0) {
      lines.push('', 'Before you start the app again:');
      for (const change of manual) lines.push(formatChange(change));
    }
    if (r.oldCopy) {
      lines.push(
        '',
        `The old copy is kept at ${r.oldCopy.path} (${formatBytes(r.oldCopy.bytes)}).`,
        'Undo with: tend move back --yes. Remove the old copy with: tend move forget-old --yes',
      );
    }
  }
  return lines.join('\n');
}

function formatStatus(status: MoveStatus): string {
  const last = status.last;
  if (!last) return status.noBack ?? 'This data folder has not been moved.';
  const lines = [
    `Moved ${formatDateTime(last.movedAt)}: ${last.from} → ${last.to} (${last.method})`,
  ];
  if (last.movedBackAt) lines.push(`Moved back ${formatDateTime(last.movedBackAt)}.`);
  if (last.oldCopy) {
    lines.push(
      `Old copy    ${last.oldCopy.path}: ${countOf(last.oldCopy.files, 'file')}, ${formatBytes(last.oldCopy.bytes)}`,
    );
  }
  lines.push(
    status.noBack ? `No move back: ${status.noBack}` : 'It can be moved back: tend move back --yes',
  );
  return lines.join('\n');
}

/** `tend move plan|apply|back|forget-old|status`. */
export function registerMoveCommands(program: Command, context: CliContext): void {
  const { withEngine, followJob, print } = context;
  const move = program
    .command('move')
    .description('move the data folder to another disk, and point the app at it');

  move
    .command('plan')
    .description('what moving the data folder to DIR would do, and why it may be refused')
    .argument('<dir>', 'a new or empty folder, outside the data folder')
    .action(async (dir: string, _options, command: Command) => {
      await withEngine(command, async (engine) => {
        const plan = await engine.call('move:plan', { target: path.resolve(dir) });
        print(command, plan, () => formatMovePlan(plan));
        throwIfPlanRefused(plan.refusals, 'move');
      });
    });

  move
    .command('apply')
    .description('move: copy and verify (or rename), switch the configuration, keep the old copy')
    .argument('<dir>', 'a new or empty folder, outside the data folder')
    .option('--yes', 'do it (without it, only the plan is shown)')
    .action(async (dir: string, opts: { yes?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        const target = path.resolve(dir);
        if (!opts.yes) {
          const plan = await engine.call('move:plan', { target });
          context.io.stderr(`${formatMovePlan(plan)}\n\n`);
          throw new TendFailure('INVALID_INPUT', 'Nothing was changed. Add --yes to move.');
        }
        const finished = await followJob(engine, await engine.call('move:apply', { target }));
        const report = await moveReportOf(finished.result);
        print(command, report, () => formatReport(report, false));
      });
    });

  move
    .command('status')
    .description('the last move, its old copy and its size, and whether it can be moved back')
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const status = await engine.call('move:status');
        print(command, status, () => formatStatus(status));
      });
    });

  move
    .command('back')
    .description('undo the last move while its old copy exists')
    .option('--yes', 'do it (without it, only says what would be undone)')
    .action(async (opts: { yes?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        if (!opts.yes) {
          const status = await engine.call('move:status');
          context.io.stderr(`${formatStatus(status)}\n\n`);
          throw new TendFailure('INVALID_INPUT', 'Nothing was changed. Add --yes to move back.');
        }
        const finished = await followJob(engine, await engine.call('move:back'));
        const report = await moveReportOf(finished.result);
        print(command, report, () => formatReport(report, true));
      });
    });

  move
    .command('forget-old')
    .description('remove the last move’s old copy (only the files it copied and verified)')
    .option('--yes', 'do it (without it, only says what would be removed)')
    .action(async (opts: { yes?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        if (!opts.yes) {
          const status = await engine.call('move:status');
          context.io.stderr(`${formatStatus(status)}\n\n`);
          throw new TendFailure(
            'INVALID_INPUT',
            'Nothing was removed. Add --yes to remove the old copy.',
          );
        }
        const result = await engine.call('move:forget-old');
        print(command, result, () =>
          [
            `Removed ${countOf(result.removedFiles, 'file')} (${formatBytes(result.removedBytes)}) of the old copy ${result.path}.`,
            ...(result.left.length > 0
              ? [
                  `Left in place (not the move's, or changed since): ${result.left.slice(0, 20).join(', ')}`,
                ]
              : []),
          ].join('\n'),
        );
      });
    });
}
