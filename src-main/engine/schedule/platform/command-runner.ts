import { execFile } from 'node:child_process';

/** What a command printed and how it ended; a program that cannot start ends with code 127. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one program with its arguments (no shell); tests pass a fake. */
export type CommandRunner = (
  program: string,
  args: ReadonlyArray<string>,
) => Promise<CommandResult>;

/** Runs a real program, for at most 30 s, and never throws. */
export const execRunner: CommandRunner = (program, args) =>
  new Promise((resolve) => {
    execFile(program, [...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code =
        error === null
          ? 0
          : typeof (error as NodeJS.ErrnoException).code === 'number'
            ? Number((error as NodeJS.ErrnoException).code)
            : (error as NodeJS.ErrnoException).code === 'ENOENT'
              ? 127
              : 1;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || error?.message || '') });
    });
  });
