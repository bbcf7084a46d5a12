import type { Command } from 'commander';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf } from '../../../src-shared/language/counts';
import { TendFailure } from '../../../src-shared/tend-failure';
import { categoryInfo } from '../../../src-shared/models/category-info';
import type {
  CleanPlan,
  LargeFile,
  UsageNode,
  UsageReport,
} from '../../../src-shared/models/usage';
import type { CliContext } from '../cli-context';
import { readResult } from '../job-result';

const bytes = (value: number) => formatBytes(value);

/** The folder tree as indented lines: apparent, allocated, files, path. */
export function formatUsageTree(node: UsageNode, indent = 0): string[] {
  const label = node.path === '' ? '.' : node.name;
  const line = `${bytes(node.apparentBytes).padStart(10)}  ${bytes(node.allocatedBytes).padStart(10)}  ${node.files.toLocaleString('en').padStart(9)}  ${'  '.repeat(indent)}${label}${node.path === '' ? '' : '/'}`;
  const lines = [line, ...node.children.flatMap((child) => formatUsageTree(child, indent + 1))];
  if (node.children.length > 0 && node.omittedChildren > 0) {
    lines.push(`${' '.repeat(35)}${'  '.repeat(indent + 1)}… ${node.omittedChildren} more folders`);
  }
  return lines;
}

/** `tend usage` as a person reads it. */
export function formatUsage(
  report: UsageReport,
  node: UsageNode,
  largest: ReadonlyArray<LargeFile>,
): string {
  const width = Math.max(...report.categories.map((c) => categoryInfo[c.category].label.length));
  const { stats } = report;
  return [
    `Data folder  ${report.root}`,
    `Total        ${bytes(report.totals.apparentBytes)} apparent, ${bytes(report.totals.allocatedBytes)} on disk, ${countOf(report.totals.files, 'file')} in ${countOf(report.totals.folders, 'folder')}`,
    `Disk         ${bytes(report.disk.freeBytes)} free of ${bytes(report.disk.totalBytes)}`,
    `Scan         ${stats.mode}, ${(report.durationMs / 1000).toFixed(2)} s (${stats.foldersListed} folders listed, ${stats.foldersReused} reused)${stats.unreadable ? `, ${stats.unreadable} unreadable` : ''}`,
    '',
    ...report.categories.map(
      (c) =>
        `  ${categoryInfo[c.category].label.padEnd(width)}  ${bytes(c.apparentBytes).padStart(10)}  ${bytes(c.allocatedBytes).padStart(10)} on disk  ${countOf(c.files, 'file').padStart(15)}`,
    ),
    '',
    `${'apparent'.padStart(10)}  ${'on disk'.padStart(10)}  ${'files'.padStart(9)}  folder`,
    ...formatUsageTree(node),
    '',
    'Largest files',
    ...largest.map((f) => `${bytes(f.apparentBytes).padStart(10)}  ${f.path}`),
  ].join('\n');
}

/** A cleanup preview as a person reads it. */
export function formatCleanPlan(plan: CleanPlan): string {
  const head = `${plan.title}: ${plan.items.length} file${plan.items.length === 1 ? '' : 's'}, ${bytes(plan.totalBytes)} (frees ${bytes(plan.reclaimBytes)})`;
  const lines = plan.items.map(
    (item) =>
      `  ${item.action.padEnd(6)}  ${bytes(item.bytes).padStart(10)}  ${item.path}  (${item.reason})`,
  );
  return [head, plan.rule, ...lines].join('\n');
}

/** The command that acts on what a report-only cleanup measures, by the app page that does. */
const commandForPage: Readonly<Record<string, string>> = {
  maintenance: 'tend vectors upkeep',
  indexes: 'tend vectors compact <collection> (tend vectors health finds which need it)',
};

/**
 * Where a cleanup Tend only reports is done: the command first, then the app's button
 * ("Open Indexes" alone means nothing in a terminal).
 */
export function elsewhereInWords(elsewhere: { page: string; label: string } | null): string {
  if (!elsewhere) return 'Tend only reports this here.';
  const command = commandForPage[elsewhere.page];
  return command
    ? `Tend only reports this here; ${command} does it (in the app: ${elsewhere.label}).`
    : `Tend only reports this here; in the app: ${elsewhere.label}.`;
}

/** The `tend` verbs of the usage domain: `tend usage`, `tend clean <kind>`. */
export function registerUsageCommands(program: Command, context: CliContext): void {
  const { print, withEngine, followJob } = context;

  program
    .command('usage')
    .description('scan the data folder and show what fills it, folder by folder (exact, as du)')
    .option('--depth <n>', 'how many folder levels to show', '2')
    .option('--full', 'list every folder again instead of reusing unchanged ones')
    .action(async (opts: { depth: string; full?: boolean }, command: Command) => {
      const depth = Number(opts.depth);
      if (!Number.isInteger(depth) || depth < 1 || depth > 6) {
        throw new TendFailure('INVALID_INPUT', `--depth must be 1 to 6, not ${opts.depth}.`);
      }
      await withEngine(command, async (engine) => {
        const job = await engine.call('usage:scan', { mode: opts.full ? 'full' : 'auto' });
        await followJob(engine, job);
        const tree = await engine.call('usage:tree', { path: '', depth, largest: 10 });
        if (!tree.report || !tree.node) {
          throw new TendFailure('INTERNAL', 'The scan finished without a result.');
        }
        const { report, node, largestFiles } = tree;
        print(command, { report, tree: node, largestFiles }, () =>
          formatUsage(report, node, largestFiles),
        );
      });
    });

  program
    .command('clean')
    .description('preview, then delete what can go: old logs, cache, stale locks, temp files')
    .argument('<kind>', 'logs, cache, locks or temp (sqlite and vectors only report)')
    .option('--dry-run', 'show the exact files and bytes, change nothing')
    .option('--gzip', 'logs: also gzip plain logs older than a week')
    .option(
      '--yes',
      'go ahead although the cleanup is over the ceiling (Settings: cleanup.confirmAboveShare, cleanup.confirmAboveFiles)',
    )
    .action(
      async (
        kind: string,
        opts: { dryRun?: boolean; gzip?: boolean; yes?: boolean },
        command: Command,
      ) => {
        // The schemas (and zod) load when a command runs, not for `tend --help`.
        const { CleanKindSchema } = await import('../../../src-shared/models/usage');
        const parsed = CleanKindSchema.safeParse(kind);
        if (!parsed.success) {
          throw new TendFailure(
            'INVALID_INPUT',
            `Unknown cleanup ${kind}: use logs, cache, locks, temp, sqlite or vectors.`,
          );
        }
        await withEngine(command, async (engine) => {
          const plan = await engine.call('clean:plan', {
            kind: parsed.data,
            gzipOldLogs: Boolean(opts.gzip),
          });
          if (opts.dryRun || !plan.applicable || plan.items.length === 0) {
            print(command, plan, () => {
              const text = formatCleanPlan(plan);
              if (!plan.applicable) return `${text}\n${elsewhereInWords(plan.handledElsewhere)}`;
              return plan.items.length === 0 ? `${text}\nNothing to clean up.` : text;
            });
            return;
          }
          if (!context.globals(command).json) context.io.stderr(`${formatCleanPlan(plan)}\n`);
          if (plan.confirm && !opts.yes) {
            throw new TendFailure(
              'CLEAN_NEEDS_CONFIRMATION',
              `Nothing was changed. ${plan.confirm.message} Check the list above, then add --yes to go ahead.`,
            );
          }
          const job = await engine.call('clean:apply', {
            planId: plan.id,
            confirmLarge: Boolean(opts.yes),
          });
          const finished = await followJob(engine, job);
          const result = await readResult(finished, 'CleanResult');
          print(command, result, () =>
            [
              `Freed ${bytes(result.freedBytes)}: ${result.done.length} file${result.done.length === 1 ? '' : 's'} cleaned up.`,
              ...result.skipped.map((s) => `  skipped ${s.path}: ${s.reason}`),
            ].join('\n'),
          );
        });
      },
    );
}
