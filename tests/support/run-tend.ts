import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src-main/cli/cli';

/** The checkout's `tend` launcher, which scheduler entries written by a test name. */
const tendScript = fileURLToPath(new URL('../../bin/tend.mjs', import.meta.url));

/** What one in-process `tend` command printed and returned. */
export interface TendRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one `tend` command in this process, with a folder in `stateDir` as Tend's app-state
 * folder (so no real user's last root leaks in), and returns its exit code and output.
 *
 * Note: the state sits in its own subfolder because tests make their roots in `stateDir` too,
 * and Tend refuses a data root inside its own state.
 */
export async function tend(args: ReadonlyArray<string>, stateDir: string): Promise<TendRun> {
  let stdout = '';
  let stderr = '';
  const previous = process.env.TEND_STATE_DIR;
  process.env.TEND_STATE_DIR = path.join(stateDir, 'tend-state');
  try {
    const code = await runCli(
      args,
      {
        rendererDir: path.join(stateDir, 'no-renderer'),
        tendScript,
        stopSignal: new Promise(() => undefined),
      },
      {
        stdout: (text) => void (stdout += text),
        stderr: (text) => void (stderr += text),
        isTty: false,
      },
    );
    return { code, stdout, stderr };
  } finally {
    if (previous === undefined) delete process.env.TEND_STATE_DIR;
    else process.env.TEND_STATE_DIR = previous;
  }
}
