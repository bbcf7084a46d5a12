/**
 * `tend serve` stops cleanly when it is asked to (SIGTERM from a service manager, Ctrl-C):
 * it closes the engine and exits 0, rather than dying of the signal with its work half done.
 * A dependency (signal-exit) re-raises a signal no other listener takes, so this once failed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';
import { tend as runTend } from '../../support/run-tend';

const bin = path.resolve('bin/tend.mjs');

describe('tend serve', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'closes and exits 0 on %s',
    async (signal) => {
      const base = tempDir();
      const root = path.join(base, 'root');
      expect((await runTend(['demo', '--root', root, '--size', 'small'], base)).code).toBe(0);
      const child = spawn(process.execPath, [bin, 'serve', '--root', root], {
        env: { ...process.env, TEND_STATE_DIR: path.join(base, 'tend-state') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => {
          if (output.includes('Tend is serving')) resolve();
        });
        child.once('exit', () => reject(new Error(`tend serve ended early: ${output}`)));
      });
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, endedBy) => resolve({ code, signal: endedBy })),
      );
      child.kill(signal);
      expect(await ended, output).toEqual({ code: 0, signal: null });
      // Its data lock is released: another command takes the folder at once.
      expect((await runTend(['backup', 'list', '--root', root], base)).code).toBe(0);
    },
    120_000,
  );
});
