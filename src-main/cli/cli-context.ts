import path from 'node:path';
import type { Command } from 'commander';
import { TendFailure } from '../../src-shared/tend-failure';
import type { JobRecord } from '../../src-shared/models/jobs';
import type { Engine } from '../engine/engine';
import { formatProgress } from './format';
import { progressLine } from './progress-line';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress redraws one line). */
  isTty: boolean;
  /** The clock progress lines are spaced by (Date.now unless a test steps it). */
  now?: () => number;
}

/** Where the CLI's own files are, and how it is stopped. */
export interface CliOptions {
  /** The built renderer, for `tend serve`. */
  rendererDir: string;
  /** The `tend` launcher (bin/tend.mjs), for the entries the system's scheduler runs. */
  tendScript: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); for `serve` and jobs. */
  stopSignal: Promise<string>;
}

/** The options every command takes. */
export interface GlobalOptions {
  root?: string;
  json?: boolean;
}

/** What every command file gets: output, the engine on the chosen root, and job following. */
export interface CliContext {
  readonly io: CliIo;
  readonly options: CliOptions;
  globals(command: Command): GlobalOptions;
  /** Prints JSON with --json, else the human text. */
  print(command: Command, value: unknown, human: () => string): void;
  /** Starts an engine on the chosen root, runs `work`, and always closes it. */
  withEngine<T>(
    command: Command,
    work: (engine: Engine) => Promise<T>,
    rootOverride?: string | null,
    extra?: { schedules?: boolean; liveUsage?: boolean },
  ): Promise<T>;
  /** Follows a job to its end, drawing progress on stderr; Ctrl-C cancels it cleanly. */
  followJob(engine: Engine, job: JobRecord): Promise<JobRecord>;
}

/** Builds the context the command files share. */
export function createCliContext(io: CliIo, options: CliOptions): CliContext {
  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();
  const print = (command: Command, value: unknown, human: () => string) =>
    io.stdout(`${globals(command).json ? JSON.stringify(value, null, 2) : human()}\n`);

  /** Starts an engine on the chosen root, runs `work`, and always closes it. */
  async function withEngine<T>(
    command: Command,
    work: (engine: Engine) => Promise<T>,
    rootOverride?: string | null,
    extra: { schedules?: boolean; liveUsage?: boolean } = {},
  ): Promise<T> {
    // An empty TEND_ROOT counts as unset: path.resolve('') would quietly pick the cwd.
    // The engine is loaded here, when a command needs it, not when the CLI starts: `tend
    // --help` and a mistyped command never pay for SQLite, hnswlib and every domain.
    const [{ Engine }, { defaultAppStateDir }] = await Promise.all([
      import('../engine/engine'),
      import('../engine/app-state'),
    ]);
    const chosen =
      rootOverride !== undefined
        ? rootOverride
        : (globals(command).root ?? (process.env.TEND_ROOT || undefined));
    const engine = await Engine.start({
      appStateDir: defaultAppStateDir(),
      root: chosen === undefined || chosen === null ? chosen : path.resolve(chosen),
      schedules: extra.schedules ?? false,
      liveUsage: extra.liveUsage ?? false,
    });
    try {
      return await work(engine);
    } finally {
      await engine.close();
    }
  }

  /** Follows a job to its end, drawing progress on stderr; Ctrl-C cancels it cleanly. */
  async function followJob(engine: Engine, job: JobRecord): Promise<JobRecord> {
    const jobs = engine.requireSession().jobs;
    const progress = progressLine(io);
    const off = engine.events.on('job:progress', (record) => {
      if (record.id !== job.id || record.state !== 'running') return;
      if (record.progress.bytesTotal === null && record.progress.filesTotal === null) return;
      progress.update(formatProgress(record.title, record.progress));
    });
    void options.stopSignal.then(() => {
      try {
        jobs.cancel(job.id);
      } catch {
        // Already ended.
      }
    });
    const finished = await jobs.wait(job.id);
    off();
    progress.done();
    if (finished.error) throw new TendFailure(finished.error.code, finished.error.message);
    return finished;
  }

  return { io, options, globals, print, withEngine, followJob };
}
