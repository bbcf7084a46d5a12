import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli';
import { flushOutput, ignoreClosedReader } from './flush-output';

// This file runs as src-main/cli/main.ts (through tsx) or as out/cli/main.cjs (the bundle):
// the checkout is two folders up either way.
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

ignoreClosedReader(process.stdout);
ignoreClosedReader(process.stderr);

// The listeners stay (`on`, not `once`): signal-exit (a dependency's) re-raises a signal that
// no other listener is left to take, which would kill `tend serve` before it closes the
// engine. A second signal while stopping ends the process at once.
let stopping = false;
const stopSignal = new Promise<string>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
      stopping = true;
      resolve(signal);
    });
  }
});

/** Runs the command, waits until its output has left, and ends the process with its code. */
async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    rendererDir: path.join(projectDir, 'out', 'renderer'),
    tendScript: path.join(projectDir, 'bin', 'tend.mjs'),
    stopSignal,
  });
  process.exitCode = code;
  // Into a pipe, stdout is written asynchronously once the pipe's 64 KiB are full: exiting
  // now would cut a long --json answer there. Wait until every byte has left, then exit (a
  // worker or a timer left behind must not keep a finished command running).
  await flushOutput([process.stdout, process.stderr]);
  process.exit(code);
}

// A function, not top-level await: the bundle is a CommonJS file (scripts/build-cli.mjs).
void main();
