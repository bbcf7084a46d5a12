import path from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf, formatCount } from '../../../src-shared/language/counts';
import { formatDateTime } from '../../../src-shared/language/dates';
import { backupKindName, verifyStateNames } from '../../../src-shared/language/names';
import {
  describeRestoreCounts,
  planCounts,
  reportCounts,
  whyNoUndo,
} from '../../../src-shared/models/restore-counts';
import { TendFailure } from '../../../src-shared/tend-failure';
import { categories, type Category } from '../../../src-shared/models/category-info';
import type {
  LastRestore,
  LatestChoice,
  RestorePlan,
  RestoreReport,
  RestoreScope,
} from '../../../src-shared/models/restore';
import type { RepositorySnapshot } from '../../../src-shared/models/repository';
import type { Engine } from '../../engine/engine';
import type { CliContext } from '../cli-context';
import { throwIfPlanRefused } from '../refused-plan';
import { readResult } from '../job-result';

const scopeHelp =
  'everything (default), categories:irreplaceable,rebuildable, collection:<id or name>, or paths:<path>[,<path>…]';

/**
 * Reads `--scope`: `everything`, `categories:a,b`, `collection:<id>`, `paths:a,b` (or `path:a`),
 * or `<scope>:<id>` for any scope of the folder's profile (`entity:alice`, `workspace:docs`).
 */
export function parseScope(raw: string | undefined): RestoreScope {
  if (!raw || raw === 'everything') return { kind: 'everything' };
  const at = raw.indexOf(':');
  const kind = at === -1 ? raw : raw.slice(0, at);
  const rest = at === -1 ? '' : raw.slice(at + 1);
  const list = rest
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  switch (kind) {
    case 'categories':
    case 'category': {
      const unknown = list.filter((item) => !(categories as ReadonlyArray<string>).includes(item));
      if (list.length === 0 || unknown.length > 0) {
        throw new TendFailure(
          'INVALID_INPUT',
          `--scope categories: takes ${categories.join(', ')}${unknown.length ? `, not ${unknown.join(', ')}` : ''}.`,
        );
      }
      return { kind: 'categories', categories: list as Category[] };
    }
    case 'collection':
      if (!rest) throw new TendFailure('INVALID_INPUT', 'Say which: --scope collection:<id>.');
      return { kind: 'collection', collection: rest };
    case 'paths':
    case 'path':
      if (list.length === 0)
        throw new TendFailure('INVALID_INPUT', 'Say which: --scope paths:<path>.');
      return { kind: 'paths', paths: list };
    default:
      // Another scope of the folder's profile: the engine says if it has none of that name.
      if (rest && /^[a-z][a-z0-9-]*$/.test(kind)) return { kind: 'scope', scope: kind, id: rest };
      throw new TendFailure('INVALID_INPUT', `--scope is ${scopeHelp}; not ${raw}.`);
  }
}

/** Describes a scope in a few words. */
export function describeScope(scope: RestoreScope): string {
  switch (scope.kind) {
    case 'everything':
      return 'everything';
    case 'categories':
      return `categories ${scope.categories.join(', ')}`;
    case 'collection':
      return `collection ${scope.collection}`;
    case 'scope':
      return `${scope.scope} ${scope.id}`;
    case 'paths':
      return scope.paths.length === 1 ? scope.paths[0]! : countOf(scope.paths.length, 'path');
  }
}

/** A plan as a person reads it in a terminal. */
export function formatRestorePlan(plan: RestorePlan): string {
  const t = plan.totals;
  // The same counts, in the same words, as the app's preview (restore-counts.ts).
  const counts = planCounts(t);
  const lines = [
    `Backup      ${plan.backup.id} (${backupKindName(plan.backup.kind)}, made ${formatDateTime(plan.backup.createdAt)}, ${plan.backup.verified ? verifyStateNames.verified.toLowerCase() : verifyStateNames.unverified.toLowerCase()})`,
    `Scope       ${describeScope(plan.scope)}`,
    `Files       ${describeRestoreCounts(counts)}`,
    `Adds        ${countOf(t.added, 'file')} (${formatBytes(t.addedBytes)})`,
    `Replaces    ${countOf(counts.replaced, 'file')}${counts.identical > 0 ? ` and checks ${formatCount(counts.identical)} that look identical (${formatBytes(t.replacedBytes)} at most)` : ` (${formatBytes(t.replacedBytes)})`}`,
    `Removes     ${countOf(t.removed, 'file')} (${formatBytes(t.removedBytes)})`,
    `Disk        needs ${formatBytes(plan.space.neededBytes)}, ${formatBytes(plan.space.freeBytes)} free`,
  ];
  if (plan.collections.length > 0) {
    lines.push('', 'Collections');
    for (const c of plan.collections) {
      lines.push(
        `  ${c.action.padEnd(8)} ${c.name}: ${c.chunksNow} → ${c.chunksAfter} chunks, ${c.documentFilesNow} → ${c.documentFilesAfter} document files, ${c.chatSessionsNow} chat sessions now`,
      );
    }
  }
  const listed = plan.changes.filter((change) => change.action !== 'replace').slice(0, 20);
  if (listed.length > 0) {
    lines.push('', 'Files added and removed (first 20)');
    for (const change of listed) lines.push(`  ${change.action.padEnd(7)} ${change.path}`);
  }
  lines.push(...formatKept(plan.kept));
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  if (plan.refusals.length > 0) {
    lines.push('', 'This restore cannot go ahead:');
    for (const refusal of plan.refusals) lines.push(`  ${refusal.message} (${refusal.code})`);
  }
  return lines.join('\n');
}

/**
 * A report as a person reads it in a terminal. `offerUndo` false leaves out the undo line,
 * for `restore last`, which says itself whether the restore was undone or can be.
 */
export function formatRestoreReport(report: RestoreReport, offerUndo = true): string {
  const lines = [
    `${report.undo ? 'Undid the last restore' : `Restored ${describeScope(report.scope)} from ${report.backupId}`} in ${report.seconds.toFixed(1)} s: ${describeRestoreCounts(reportCounts(report.totals))}`,
  ];
  if (report.safetySnapshot) {
    lines.push(`Safety snapshot ${report.safetySnapshot.archivePath}`);
  }
  lines.push(...formatKept(report.kept));
  lines.push('Checks');
  for (const check of report.checks)
    lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (offerUndo && !report.undo && report.safetySnapshot)
    lines.push('Undo it with: tend restore undo --yes');
  return lines.join('\n');
}

/** "Kept, not in this backup": what a restore leaves as it is, and why (the first 20). */
function formatKept(kept: RestorePlan['kept']): string[] {
  if (kept.count === 0) return [];
  const lines = ['', `Kept, not in this backup (${kept.count})`];
  for (const item of kept.entries.slice(0, 20)) lines.push(`  ${item.path}: ${item.reason}`);
  if (kept.count > 20)
    lines.push(`  and ${kept.count - 20} more (--json lists ${kept.entries.length})`);
  return lines;
}

/** The words `restore plan|apply|export` take for the one-click choices. */
const choices: Readonly<Record<string, LatestChoice>> = {
  latest: 'latest',
  'newest-verified': 'newest-verified',
};

async function resolveRef(engine: Engine, ref: string): Promise<string> {
  const choice = choices[ref];
  if (!choice) {
    // An id stays as it is; anything that looks like a file is made absolute.
    const isFile = ref.includes('/') || /\.(tar\.gz|manifest\.json)$/.test(ref);
    return isFile ? path.resolve(ref) : ref;
  }
  const { plan, reason } = await engine.call('restore:latest', { which: choice });
  if (!plan) throw new TendFailure('BACKUP_NOT_FOUND', reason ?? 'There is no backup to restore.');
  return plan.backup.archivePath;
}

/**
 * The encrypted repository's snapshots for the list of backups, as the restore wizard has them,
 * or why they are not there: a repository whose passphrase this run does not know (no
 * TEND_PASSWORD or TEND_PASSWORD_FILE), or one that could not be read, is said, never passed
 * over in silence.
 */
async function repositoryChoices(
  engine: Engine,
): Promise<{ snapshots: ReadonlyArray<RepositorySnapshot>; notice: string | null }> {
  const status = await engine.call('repository:status', {});
  if (!status.destination) return { snapshots: [], notice: null };
  if (!status.passphraseKnown) {
    return {
      snapshots: [],
      notice: `The snapshots in the encrypted repository at ${status.location} are listed once Tend knows its passphrase: set TEND_PASSWORD, or TEND_PASSWORD_FILE to a file that holds it.`,
    };
  }
  try {
    return { snapshots: (await engine.call('repository:snapshots', {})).snapshots, notice: null };
  } catch (error) {
    return {
      snapshots: [],
      notice: `The encrypted repository's snapshots could not be listed: ${(error as Error).message}`,
    };
  }
}

/** The `tend restore` verbs: backups, plan, apply, undo, last, export, import. */
export function registerRestoreCommands(program: Command, context: CliContext): void {
  const { io, print, withEngine, followJob } = context;
  const restore = program
    .command('restore')
    .description('restore a backup: preview, apply with a safety snapshot, undo, export, import');
  const backupArg = [
    '<backup>',
    "a backup id (see 'tend restore backups'), an archive path, 'latest' (the newest one, as 'tend restore backups' lists first) or 'newest-verified'",
  ] as const;

  restore
    .command('backups')
    .description('list the backups a restore can start from, newest first')
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        // Loaded here, not at the CLI's start: it brings zod (cli-startup.test.ts).
        const { isSnapshotChoice, restoreChoices, SNAPSHOT_REF_PREFIX } =
          await import('../../../src-shared/models/snapshot-choices');
        const { backups: archives } = await engine.call('restore:backups');
        const repository = await repositoryChoices(engine);
        const backups = restoreChoices(archives, repository.snapshots);
        const made = backups.filter((b) => b.kind !== 'pre-restore' && b.kind !== 'pre-migration');
        const latest = made[0]?.id;
        const verified = made.find((b) => b.verified)?.id;
        const marks = (id: string) =>
          [id === latest ? 'latest' : '', id === verified ? 'newest-verified' : '']
            .filter(Boolean)
            .join(', ');
        if (repository.notice) io.stderr(`! ${repository.notice}\n`);
        print(command, backups, () =>
          backups.length === 0
            ? repository.notice
              ? 'No archives found.'
              : 'No backups found. Set a backup destination, or import a backup file.'
            : backups
                .map((b) =>
                  [
                    // A snapshot is named as plan and apply take it: snapshot:<short id>.
                    isSnapshotChoice(b)
                      ? // Its size is known once a plan reads it (the wizard shows "—" too).
                        `${b.archivePath.slice(0, SNAPSHOT_REF_PREFIX.length + 8).padEnd(40)}  ${backupKindName(b.kind).padEnd(16)}  ${'—'.padStart(29)}  ${'Encrypted repository'.padEnd(16)}`
                      : `${b.id.padEnd(40)}  ${backupKindName(b.kind).padEnd(16)}  ${formatBytes(b.bytes).padStart(10)} of data  ${countOf(b.files, 'file').padStart(11)}  ${(b.verified ? verifyStateNames.verified : verifyStateNames.unverified).padEnd(16)}`,
                    marks(b.id) ? `  ← ${marks(b.id)}` : '',
                  ].join(''),
                )
                .join('\n'),
        );
      });
    });

  restore
    .command('plan')
    .description(
      'preview a restore: what is added, replaced and removed, and why it may be refused',
    )
    .argument(...backupArg)
    .option('--scope <scope>', scopeHelp, 'everything')
    .action(async (ref: string, opts: { scope: string }, command: Command) => {
      const scope = parseScope(opts.scope);
      await withEngine(command, async (engine) => {
        const plan = await engine.call('restore:plan', {
          backup: await resolveRef(engine, ref),
          scope,
        });
        print(command, plan, () => formatRestorePlan(plan));
        throwIfPlanRefused(plan.refusals, 'restore');
      });
    });

  restore
    .command('apply')
    .description(
      'restore: safety snapshot, verified extract, swap, checks (rolled back on failure)',
    )
    .argument(...backupArg)
    .option('--scope <scope>', scopeHelp, 'everything')
    .option('--yes', 'do it (without it, only the preview is shown)')
    .action(async (ref: string, opts: { scope: string; yes?: boolean }, command: Command) => {
      const scope = parseScope(opts.scope);
      await withEngine(command, async (engine) => {
        const backup = await resolveRef(engine, ref);
        if (!opts.yes) {
          const plan = await engine.call('restore:plan', { backup, scope });
          context.io.stderr(`${formatRestorePlan(plan)}\n\n`);
          throw new TendFailure('INVALID_INPUT', 'Nothing was changed. Add --yes to restore.');
        }
        const job = await engine.call('restore:apply', { backup, scope });
        const finished = await followJob(engine, job);
        const report = await readResult(finished, 'RestoreReport');
        print(command, report, () => formatRestoreReport(report));
      });
    });

  restore
    .command('last')
    .description('the last restore, its checks, and whether it can be undone')
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const { last } = await engine.call('restore:last');
        print(command, last, () => (last ? formatLast(last) : 'No restore yet.'));
      });
    });

  restore
    .command('undo')
    .description('put back what the last restore changed, from its safety snapshot')
    .option('--yes', 'do it (without it, only says what would be undone)')
    .action(async (opts: { yes?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        if (!opts.yes) {
          const { last } = await engine.call('restore:last');
          context.io.stderr(`${last ? formatLast(last) : 'No restore yet.'}\n\n`);
          throw new TendFailure('INVALID_INPUT', 'Nothing was changed. Add --yes to undo.');
        }
        const finished = await followJob(engine, await engine.call('restore:undo'));
        const report = await readResult(finished, 'RestoreReport');
        print(command, report, () => formatRestoreReport(report));
      });
    });

  restore
    .command('export')
    .description(
      "write a backup's files into another, empty folder (the data folder is not touched)",
    )
    .argument(...backupArg)
    .argument('<dir>', 'a new or empty folder outside the data folder')
    .option('--scope <scope>', scopeHelp, 'everything')
    .action(async (ref: string, dir: string, opts: { scope: string }, command: Command) => {
      const scope = parseScope(opts.scope);
      await withEngine(command, async (engine) => {
        const job = await engine.call('restore:export', {
          backup: await resolveRef(engine, ref),
          target: path.resolve(dir),
          scope,
        });
        const result = await readResult(await followJob(engine, job), 'RestoreExport');
        print(command, result, () =>
          [
            `Wrote ${countOf(result.files, 'file')} (${formatBytes(result.bytes)})${result.links ? ` and ${result.links} links` : ''} to ${result.target}, every one checked.`,
            ...result.warnings.map((warning) => `warning: ${warning}`),
          ].join('\n'),
        );
      });
    });

  restore
    .command('import')
    .description('check a backup file from another machine and add it to this folder’s backups')
    .argument('<file>', 'a tend-….tar.gz (its .manifest.json beside it, if you have it)')
    .action(async (file: string, _options, command: Command) => {
      await withEngine(command, async (engine) => {
        const job = await engine.call('restore:import', { file: path.resolve(file) });
        const result = await readResult(await followJob(engine, job), 'RestoreImport');
        print(
          command,
          result,
          () => `Checked every file of ${result.backupId} and added it as ${result.archivePath}.`,
        );
      });
    });
}

function formatLast(last: LastRestore): string {
  const noUndo = whyNoUndo(last.report);
  const undo =
    last.undoneAt !== null
      ? `Undone on ${formatDateTime(last.undoneAt)}.`
      : noUndo
        ? `No undo: ${noUndo}`
        : 'It can be undone: tend restore undo --yes';
  return `${formatRestoreReport(last.report, false)}\n${undo}`;
}
