import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds out/cli when a source changed: the tests that run bin/tend.mjs run the bundle.
    globalSetup: ['tests/global-setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's own default in a run is one file fewer than the cores: one at a time on the
    // 2-core CI machine, which left a core idle while a file waited on its child processes
    // (the CLI, sshd, PostgreSQL, restic). Each file is its own process with its own temp
    // folders, ports and state, so one file per core.
    maxWorkers: Math.max(2, os.availableParallelism()),
  },
});
