import { spawnSync } from 'node:child_process';

/**
 * Debian's `restic` as the tests run it, the independent reader of Tend's repositories. A
 * module of its own, without vitest, so the Playwright specs (e2e/repository-remote.spec.ts)
 * run the same restic the unit tests do.
 */

/** The passphrase test repositories use. */
export const PASSWORD = 'correct horse battery staple';

/** Whether Debian's restic is installed (the interoperability tests need it). */
export const hasRestic = spawnSync('restic', ['version'], { encoding: 'utf8' }).status === 0;

/** Runs restic on a repository with the test passphrase (or the one given). */
export function restic(
  repo: string,
  args: ReadonlyArray<string>,
  options: { cwd?: string; password?: string; env?: Record<string, string> } = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('restic', ['-r', repo, '--no-cache', ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, ...options.env, RESTIC_PASSWORD: options.password ?? PASSWORD },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
