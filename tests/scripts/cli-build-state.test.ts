import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuildState } from '../../scripts/cli-build-state.mjs';
import { tempDir, writeFile } from '../support/temp-dir';

const BUILT_AT = Date.UTC(2026, 10, 30, 12, 0, 0);

/** A checkout with two sources, a bundle and its record, each piece as the case says. */
function checkout(setup: {
  record?: unknown;
  mainCjs?: boolean;
  sourceTimes?: Record<string, number | 'missing'>;
}): string {
  const dir = tempDir();
  const times: Record<string, number | 'missing'> = {
    'src-main/cli/main.ts': BUILT_AT - 60_000,
    'src-shared/x.ts': BUILT_AT - 1,
  };
  for (const [source, time] of Object.entries({ ...times, ...setup.sourceTimes })) {
    if (time === 'missing') continue;
    writeFile(path.join(dir, source), '// source\n');
    fs.utimesSync(path.join(dir, source), new Date(time), new Date(time));
  }
  const record =
    setup.record === undefined
      ? { startedAtMs: BUILT_AT, sources: ['src-main/cli/main.ts', 'src-shared/x.ts'] }
      : setup.record;
  if (record !== null) {
    writeFile(
      path.join(dir, 'out/cli/build.json'),
      typeof record === 'string' ? record : JSON.stringify(record),
    );
  }
  if (setup.mainCjs !== false) writeFile(path.join(dir, 'out/cli/main.cjs'), '// bundle\n');
  return dir;
}

describe('cliBuildState', () => {
  it.each([
    { name: 'every source older than the build', setup: {}, reason: null },
    {
      name: 'a source saved after the build started',
      setup: { sourceTimes: { 'src-shared/x.ts': BUILT_AT + 1_000 } },
      reason: 'src-shared/x.ts changed after the command line was built',
    },
    {
      name: 'a source that is gone (whoever imported it changed too)',
      setup: { sourceTimes: { 'src-shared/x.ts': 'missing' as const } },
      reason: null,
    },
    {
      name: 'no build at all',
      setup: { record: null, mainCjs: false },
      reason: 'the command line is not built (no out/cli/)',
    },
    {
      name: 'a record without its bundle',
      setup: { mainCjs: false },
      reason: 'the build in out/cli/ is incomplete',
    },
    {
      name: 'a record that is not JSON',
      setup: { record: '{"startedAtMs": 1' },
      reason: 'the command line is not built (no out/cli/)',
    },
    {
      name: 'a record of another shape',
      setup: { record: { startedAtMs: '2026-11-30', sources: [] } },
      reason: 'the build record out/cli/build.json is damaged',
    },
    {
      name: 'a record whose sources are not names',
      setup: { record: { startedAtMs: BUILT_AT, sources: [42] } },
      reason: 'the build record out/cli/build.json is damaged',
    },
  ])('$name', ({ setup, reason }) => {
    const dir = checkout(setup);
    const state = cliBuildState(dir);
    if (reason === null) {
      expect(state).toEqual({ fresh: true, entry: path.join(dir, 'out/cli/main.cjs') });
    } else {
      expect(state).toEqual({ fresh: false, reason });
    }
  });
});
