import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { TendFailure } from '../../src-shared/tend-failure';
import { formatBytes } from '../../src-shared/language/bytes';
import { countOf } from '../../src-shared/language/counts';
import { formatDateTime } from '../../src-shared/language/dates';
import { jobStateNames, withArticle } from '../../src-shared/language/names';
import { createCliContext, type CliIo, type CliOptions } from './cli-context';
import { registerBackupCommands } from './commands/backup';
import { maintenanceNotices, registerMaintenanceCommands } from './commands/maintenance';
import { registerProfileCommands } from './commands/profiles';
import { registerPostgresCommands } from './commands/postgres';
import { registerMoveCommands } from './commands/move';
import { registerRepoCommands } from './commands/repo';
import { registerRestoreCommands } from './commands/restore';
import { registerScheduleCommands } from './commands/schedule';
import { registerUsageCommands } from './commands/usage';
import { registerVectorCommands } from './commands/vectors';
import { exitCodeFor } from './exit-codes';
import { readResult } from './job-result';
import { oneOfOption, wholeOption } from './option-values';
import { formatOverview } from './format';

export type { CliIo, CliOptions } from './cli-context';

const nodeIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stderr.isTTY),
};

/**
 * Runs one `tend` command and returns its exit code.
 *
 * Every verb goes through the engine's handlers, as the desktop app and the web host do.
 */
export async function runCli(
  argv: ReadonlyArray<string>,
  options: CliOptions,
  io: CliIo = nodeIo,
): Promise<number> {
  let exitCode = 0;
  const program = new Command('tend')
    .description(
      "Tend keeps a local AI assistant's data safe: usage, backups, restore, index health.",
    )
    .option(
      '--root <dir>',
      'the data folder (else $TEND_ROOT, else the one the desktop app last used)',
    )
    .option('--json', "print the contract's output as JSON")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const context = createCliContext(io, options);
  const { globals, print, withEngine, followJob } = context;

  program
    .command('info')
    .description('show the data folder, its size by category and the last backup')
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const info = await engine.call('root:info');
        const usage = await engine.call('usage:summary');
        // Work that stopped before its end (a schema migration) says where it stands.
        const notices = maintenanceNotices(await engine.call('schema:status'));
        print(command, { info, usage, notices }, () =>
          [formatOverview(info, usage), ...notices.map((n) => `\nNotice       ${n}`)].join('\n'),
        );
      });
    });

  program
    .command('init')
    .description('create a new, empty data folder with the default layout')
    .argument('<dir>', 'a folder that does not exist yet, or is empty')
    .action(async (dir: string, _options, command: Command) => {
      await withEngine(
        command,
        async (engine) => {
          const info = await engine.call('root:create', { path: path.resolve(dir) });
          print(command, info, () => `Created ${info.path}`);
        },
        null,
      );
    });

  program
    .command('adopt')
    .description(
      "show what Tend finds in a folder, and with --yes let Tend manage it as the assistant's",
    )
    .argument('<dir>', "the assistant's data folder")
    .option('--yes', 'manage it although Tend found nothing of an assistant’s there')
    .option(
      '--profile <id>',
      'manage it as this kind of folder (tend profiles list), whatever Tend detected',
    )
    .action(async (dir: string, opts: { yes?: boolean; profile?: string }, command: Command) => {
      await withEngine(
        command,
        async (engine) => {
          const findings = await engine.call('root:inspect', { path: path.resolve(dir) });
          const { describeFindings } = await import('../engine/root/assistant-folder');
          if (findings.refusal !== null) {
            throw new TendFailure('ROOT_NOT_ALLOWED', findings.refusal, { path: findings.path });
          }
          if (opts.profile !== undefined) {
            // The person named the profile: that is their choice, made knowing the folder.
            const info = await engine.call('root:open', {
              path: findings.path,
              adopt: true,
              profile: opts.profile,
            });
            print(
              command,
              { findings, info },
              () =>
                `${describeFindings(findings)}\nTend manages ${info.path} as ${withArticle(info.profile.name)} folder.`,
            );
            return;
          }
          if (!findings.isAssistantFolder && !opts.yes) {
            io.stderr(`${describeFindings(findings)}\n\n`);
            throw new TendFailure(
              'INVALID_INPUT',
              `Nothing was written. Add --yes to let Tend manage ${findings.path} as an assistant's data folder.`,
            );
          }
          const info = await engine.call('root:open', { path: findings.path, adopt: true });
          print(command, { findings, info }, () =>
            findings.isAssistantFolder
              ? `${describeFindings(findings)}\nTend manages ${info.path}.`
              : `${describeFindings(findings)}\nTend now manages ${info.path}.`,
          );
        },
        null,
      );
    });

  program
    .command('demo')
    .description(
      'write a realistic, deterministic demo data folder (for trying Tend and for tests)',
    )
    .option('--size <size>', 'small (~20 MiB), medium (~300 MiB) or large (~2 GiB)', 'small')
    .option('--seed <n>', 'the same seed writes the same data', '1')
    .option('--profile <id>', 'the kind of folder to write (tend profiles list)', 'native')
    .action(async (opts: { size: string; seed: string; profile: string }, command: Command) => {
      const root = globals(command).root;
      if (!root)
        throw new TendFailure('INVALID_INPUT', 'Say where to write the demo: tend demo --root DIR');
      const size = oneOfOption(opts.size, '--size', ['small', 'medium', 'large'] as const);
      const seed = wholeOption(opts.seed, '--seed', { min: 0, max: 2 ** 31 });
      await withEngine(
        command,
        async (engine) => {
          const job = await engine.call('demo:generate', {
            path: path.resolve(root),
            size,
            seed,
            profile: opts.profile,
          });
          const finished = await followJob(engine, job);
          const summary = await readResult(finished, 'Demo');
          print(command, finished.result, () => {
            const wrote = `Wrote ${countOf(summary.files, 'file')} (${formatBytes(summary.bytes)}) to ${summary.root}`;
            // A profile whose data is partly elsewhere (a database server) says what it did not write.
            const note =
              'note' in summary && typeof summary.note === 'string' ? summary.note : null;
            return note ? `${wrote}\n${note}` : wrote;
          });
        },
        null,
      );
    });

  program
    .command('serve')
    .description('serve Tend in a browser on 127.0.0.1 (prints the address with its token)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .action(async (opts: { port: string }, command: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new TendFailure(
          'INVALID_INPUT',
          `--port must be a whole number from 0 to 65535, not ${opts.port}.`,
        );
      }
      await withEngine(
        command,
        async (engine) => {
          const { startWebHost } = await import('../host/web-host');
          const host = await startWebHost({ engine, rendererDir: options.rendererDir, port });
          io.stdout(
            `Tend is serving ${engine.rootPath ?? '(no data folder yet)'} at ${host.url}\n` +
              'Open that address in a browser; it works only on this machine. Press Ctrl-C to stop.\n',
          );
          await options.stopSignal;
          await host.close();
        },
        undefined,
        // A long-running host keeps the schedules and a live usage map, as the desktop app does.
        { schedules: true, liveUsage: true },
      );
    });

  const settings = program
    .command('settings')
    .description("show or change the data folder's settings");
  settings
    .command('get')
    .description('print the settings')
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const value = await engine.call('settings:get');
        io.stdout(`${JSON.stringify(value, null, 2)}\n`);
      });
    });
  settings
    .command('set')
    .description(
      'change settings: tend settings set backup.retention.daily=10 cleanup.logRetentionDays=14',
    )
    .argument(
      '<assignments...>',
      'dotted.key=value pairs; values are JSON (numbers, strings, null)',
    )
    .action(async (assignments: string[], _options, command: Command) => {
      await withEngine(command, async (engine) => {
        const current = (await engine.call('settings:get')) as Record<string, unknown>;
        // Only the assigned keys are sent: a change saved elsewhere meanwhile is kept.
        const patch: Record<string, unknown> = {};
        for (const assignment of assignments) applyAssignment(patch, assignment, current);
        const saved = await engine.call('settings:set', { settings: patch });
        print(command, saved, () => `Settings saved (revision ${saved.revision}).`);
      });
    });

  const jobs = program.command('jobs').description('recent jobs and their outcome');
  jobs
    .command('list')
    .description('list recent jobs, newest first')
    .option('--limit <n>', 'how many', '20')
    .action(async (opts: { limit: string }, command: Command) => {
      await withEngine(command, async (engine) => {
        const { jobs: list } = await engine.call('jobs:list', {
          limit: wholeOption(opts.limit, '--limit', { min: 1, max: 1000 }) ?? 20,
        });
        print(command, list, () =>
          list.length === 0
            ? 'No jobs yet.'
            : list
                .map(
                  (job) =>
                    `${formatDateTime(job.createdAt).padEnd(21)}  ${jobStateNames[job.state].padEnd(11)}  ${job.kind.padEnd(16)}  ${job.title}`,
                )
                .join('\n'),
        );
      });
    });

  program
    .command('call')
    .description('call any contract channel with JSON input, e.g. tend call root:info {}')
    .argument('<channel>', 'a channel such as root:info')
    .argument('[input]', 'JSON input', '{}')
    .action(async (channel: string, input: string, _options, command: Command) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input);
      } catch {
        throw new TendFailure('INVALID_INPUT', `The input is not valid JSON: ${input}`);
      }
      await withEngine(command, async (engine) => {
        const result = await engine.dispatch(channel, parsed);
        if (!result.ok)
          throw new TendFailure(result.error.code, result.error.message, result.error.details);
        io.stdout(`${JSON.stringify(result.value, null, 2)}\n`);
      });
    });

  registerBackupCommands(program, context);
  registerRestoreCommands(program, context);
  registerUsageCommands(program, context);
  registerVectorCommands(program, context);
  registerMaintenanceCommands(program, context);
  registerScheduleCommands(program, context);
  registerProfileCommands(program, context);
  registerPostgresCommands(program, context);
  registerMoveCommands(program, context);
  registerRepoCommands(program, context);

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      exitCode = error.exitCode === 0 ? 0 : 2;
    } else if (error instanceof TendFailure) {
      io.stderr(`tend: ${error.message} (${error.code})\n`);
      exitCode = exitCodeFor(error.code);
    } else {
      io.stderr(`tend: ${(error as Error)?.message ?? String(error)} (INTERNAL)\n`);
      exitCode = 1;
    }
  }
  return exitCode;
}

/** Whether a setting's value is a group of settings (an object), not one value. */
function isGroup(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets `a.b.c=value` in a plain object, making the objects on the way; the value is JSON when
 * it parses, else a string. With `known`, a key that `known` does not have is refused.
 */
export function applyAssignment(
  target: Record<string, unknown>,
  assignment: string,
  known: Record<string, unknown> = target,
): void {
  const at = assignment.indexOf('=');
  if (at <= 0) throw new TendFailure('INVALID_INPUT', `Expected key=value, got ${assignment}`);
  const keys = assignment.slice(0, at).split('.');
  const raw = assignment.slice(at + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  const unknownKey = () =>
    new TendFailure('INVALID_INPUT', `There is no setting ${keys.join('.')}.`);
  let node = target;
  let shape: unknown = known;
  for (const key of keys.slice(0, -1)) {
    shape = (shape as Record<string, unknown>)[key];
    if (typeof shape !== 'object' || shape === null) throw unknownKey();
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== 'object' || next === null) throw unknownKey();
    node = node[key] as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (!Object.hasOwn(shape as Record<string, unknown>, last)) throw unknownKey();
  const group = (shape as Record<string, unknown>)[last];
  if (isGroup(group) && !isGroup(value)) {
    const members = Object.keys(group).map((key) => `${keys.join('.')}.${key}`);
    throw new TendFailure(
      'INVALID_INPUT',
      `${keys.join('.')} is a group of settings; set one of them: ${members.join(', ')}.`,
    );
  }
  node[last] = value;
}
