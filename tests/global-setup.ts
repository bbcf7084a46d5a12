/**
 * Before any test file runs: bring the bundled command line (out/cli) up to date with the
 * sources, as `prepare` does after an install, so the tests that start bin/tend.mjs run the
 * bundle a person runs, built from the code under test (a no-op when nothing changed).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Vitest's global setup. */
export default function setup(): void {
  const script = fileURLToPath(new URL('../scripts/build-cli.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
}
