import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** How a pg_dump or pg_restore run ended. */
export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last 64 KiB of what it printed on stderr. */
  stderr: string;
}

/** A running pg_dump or pg_restore. */
export interface RunningTool {
  readonly pid: number;
  /** Its standard output (pg_dump's dump); drained by the caller or ignored. */
  readonly stdout: Readable;
  /** Resolves when it has exited and its output is closed; never rejects. */
  readonly exited: Promise<ToolExit>;
  /** Asks it to stop (SIGTERM); a second call kills it. */
  stop(): void;
}

const STDERR_KEEP = 64 * 1024;

/** Options for one run. */
export interface RunToolOptions {
  env: NodeJS.ProcessEnv;
  /** Each complete stderr line as it comes (pg_restore --verbose tells its progress there). */
  onStderrLine?: (line: string) => void;
  /** Stops the tool when aborted. */
  signal?: AbortSignal;
}

/**
 * Starts a PostgreSQL client tool with its own environment, keeping its stderr tail for the
 * error message and stopping it when the signal aborts. The password is only ever in `env`.
 */
export function runTool(
  program: string,
  args: ReadonlyArray<string>,
  options: RunToolOptions,
): RunningTool {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(program, [...args], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let partialLine = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEEP);
    if (options.onStderrLine) {
      const lines = (partialLine + text).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine(line);
    }
  });
  let stopped = false;
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(stopped ? 'SIGKILL' : 'SIGTERM');
    stopped = true;
  };
  const onAbort = () => stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<ToolExit>((resolve) => {
    child.once('error', (error) => {
      resolve({ code: null, signal: null, stderr: `${stderr}${error.message}` });
    });
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (partialLine && options.onStderrLine) options.onStderrLine(partialLine);
      resolve({ code, signal, stderr });
    });
  });
  return { pid: child.pid ?? -1, stdout: child.stdout, exited, stop };
}

/** "exited with code 1" / "was killed by SIGKILL", for messages. */
export function describeExit(exit: ToolExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  if (exit.code === null) return 'could not be started';
  return `exited with code ${exit.code}`;
}
