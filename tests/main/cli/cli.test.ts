import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyAssignment } from '../../../src-main/cli/cli';
import { errorCodes } from '../../../src-shared/errors';
import { exitCodeFor } from '../../../src-main/cli/exit-codes';
import { tempDir } from '../../support/temp-dir';
import { tend } from '../../support/run-tend';
import { stateOfRoot } from '../../support/root-state';

describe('tend CLI', () => {
  it('prints help with every verb', async () => {
    const state = tempDir();
    const { code, stdout } = await tend(['--help'], state);
    expect(code).toBe(0);
    for (const verb of ['info', 'init', 'demo', 'serve', 'settings', 'jobs', 'call']) {
      expect(stdout).toContain(verb);
    }
  });

  it('creates a root, shows it, and prints JSON that matches the contract', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    expect((await tend(['init', root], base)).code).toBe(0);
    fs.writeFileSync(path.join(root, 'config/settings.yaml'), 'a: 1\n');
    const human = await tend(['info', '--root', root], base);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Data folder  ${root}`);
    expect(human.stdout).toContain('Last backup  none yet');
    const json = await tend(['info', '--root', root, '--json'], base);
    const parsed = JSON.parse(json.stdout);
    // As `du -sb` counts it: the 5-byte file and the folders' own entries, without .tend/.
    const du = execFileSync('du', ['-sb', '--exclude=.tend', root], { encoding: 'utf8' });
    expect(parsed.usage.totalBytes).toBe(Number(du.split('\t')[0]));
    expect(parsed.usage.totalFiles).toBe(1);
    // The last root used is remembered for the next command.
    expect(JSON.parse((await tend(['call', 'root:info'], base)).stdout).path).toBe(root);
  });

  it('sets settings by dotted key and refuses bad values as bad input', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    await tend(['init', root], base);
    expect(
      (await tend(['settings', 'set', 'backup.retention.daily=9', '--root', root], base)).code,
    ).toBe(0);
    const shown = JSON.parse((await tend(['settings', 'get', '--root', root], base)).stdout);
    expect(shown.backup.retention.daily).toBe(9);
    const bad = await tend(['settings', 'set', 'backup.retention.daily=-1', '--root', root], base);
    expect(bad.code).toBe(3);
    // A sentence, ended with its period, then the code.
    expect(bad.stderr).toMatch(
      /backup\.retention\.daily: Type a number from 0 to 365\. \(SETTINGS_INVALID\)/,
    );
    const unknown = await tend(['settings', 'set', 'backup.nope=1', '--root', root], base);
    expect(unknown.code).toBe(2);
  });

  it('sends only the assigned keys, so a change saved meanwhile is kept', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    await tend(['init', root], base);
    const file = stateOfRoot(path.join(base, 'tend-state'), root).settings;
    await tend(['settings', 'set', 'cleanup.logRetentionDays=14', '--root', root], base);
    await tend(['settings', 'set', 'backup.retention.weekly=6', '--root', root], base);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({
      revision: 2,
      cleanup: { logRetentionDays: 14 },
      backup: { retention: { weekly: 6, daily: 7 } },
    });
    const cron = await tend(['settings', 'set', 'backup.schedules.critical="61 3 * * *"'], base);
    expect(cron.code).toBe(3);
    expect(cron.stderr).toContain('The minute must be from 0 to 59');
  });

  it('fails with a clear message and a non-zero code', async () => {
    const base = tempDir();
    const missing = await tend(['info', '--root', path.join(base, 'missing')], base);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/does not exist.*ROOT_NOT_FOUND/);
    const noRoot = await tend(['info'], base);
    expect(noRoot.code).toBe(3);
    expect(noRoot.stderr).toContain('NO_ROOT');
    expect((await tend(['frobnicate'], base)).code).toBe(2);
    expect((await tend(['call', 'root:info', '{bad'], base)).code).toBe(2);
    expect((await tend(['demo'], base)).stderr).toContain('tend demo --root DIR');
  });

  it('writes a demo root and lists its job', async () => {
    const base = tempDir();
    const root = path.join(base, 'demo');
    const made = await tend(
      ['demo', '--root', root, '--size', 'small', '--seed', '3', '--json'],
      base,
    );
    expect(made.code).toBe(0);
    const summary = JSON.parse(made.stdout);
    expect(summary).toMatchObject({ root, size: 'small', seed: 3 });
    expect(fs.existsSync(path.join(root, 'local_data/internal_assistant/assistant.db'))).toBe(true);
    const jobs = JSON.parse((await tend(['jobs', 'list', '--json', '--root', root], base)).stdout);
    expect(jobs[0]).toMatchObject({ kind: 'demo', state: 'succeeded' });
    const again = await tend(['demo', '--root', root], base);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('ROOT_NOT_EMPTY');
  });
});

describe('CLI helpers', () => {
  it.each([
    ['INVALID_INPUT', 2],
    ['ROOT_NOT_FOUND', 3],
    ['DATA_LOCKED', 4],
    ['SETTINGS_CONFLICT', 4],
    ['SETTINGS_INVALID', 3],
    ['CANCELLED', 5],
    ['INTERNAL', 1],
    ['RESTORE_UNKNOWN_COLLECTION', 2],
    ['RESTORE_TARGET_NOT_EMPTY', 2],
    ['BACKUP_NOT_FOUND', 2],
    ['RESTORE_ARCHIVE_CORRUPT', 7],
    ['RESTORE_MANIFEST_MISMATCH', 7],
    ['LEGACY_NOTHING_TO_ROLL_BACK', 2],
  ] as const)('%s exits %i', (code, expected) => expect(exitCodeFor(code)).toBe(expected));

  it('maps every PG_* code to 3, the data’s own trouble', () => {
    const pgCodes = errorCodes.filter((code) => code.startsWith('PG_'));
    expect(pgCodes.length).toBeGreaterThanOrEqual(13);
    for (const code of pgCodes) expect([code, exitCodeFor(code)]).toEqual([code, 3]);
  });

  it('names the command for a cleanup it only reports, not only the app button', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    expect((await tend(['init', root], base)).code).toBe(0);
    const sqlite = await tend(['clean', 'sqlite', '--root', root], base);
    expect(sqlite.code, sqlite.stderr).toBe(0);
    expect(sqlite.stdout).toContain('tend vectors upkeep does it (in the app: Run SQLite upkeep)');
    const vectors = await tend(['clean', 'vectors', '--root', root], base);
    expect(vectors.stdout).toContain('tend vectors compact <collection>');
  });

  it.each([
    [['demo', '--size', 'huge'], '--size must be small, medium or large, not huge.'],
    [['demo', '--seed', 'x'], '--seed must be a whole number from 0 to 2147483648, not x.'],
    [
      ['archive', 'policy', '--hot', 'abc'],
      '--hot must be a whole number from 1 to 3650, not abc.',
    ],
    [
      ['archive', 'policy', '--scrub', '0'],
      '--scrub must be a whole number from 1 to 36500, not 0.',
    ],
    [['jobs', 'list', '--limit', 'x'], '--limit must be a whole number from 1 to 1000, not x.'],
    [
      ['vectors', 'search', 'notes'],
      "Search from one of: --chunk ID (a chunk of the collection) or --vector '[…]' (or @file). Example: tend vectors search notes --chunk 1",
    ],
    [
      ['import', 'notes', 'x.jsonl', '--space', 'nope'],
      '--space must be cosine, l2 or ip, not nope.',
    ],
  ])('refuses %j in words, with exit 2', async (args, message) => {
    const base = tempDir();
    const root = path.join(base, 'root');
    if (args[0] !== 'demo') expect((await tend(['init', root], base)).code).toBe(0);
    const run = await tend([...args, '--root', root], base);
    expect([run.code, run.stderr]).toEqual([2, `tend: ${message} (INVALID_INPUT)\n`]);
  });

  it('applies dotted assignments with JSON values', () => {
    const target = { a: { b: 1, c: 'x' } };
    applyAssignment(target, 'a.b=2');
    applyAssignment(target, 'a.c=hello world');
    expect(target).toEqual({ a: { b: 2, c: 'hello world' } });
    expect(() => applyAssignment(target, 'a.z=1')).toThrow(/no setting/);
    expect(() => applyAssignment(target, 'novalue')).toThrow(/key=value/);
    // A group given one value is named with its members, not a schema's "expected object".
    expect(() => applyAssignment({}, 'a={bad', target)).toThrow(
      'a is a group of settings; set one of them: a.b, a.c.',
    );
  });

  it('builds a patch of only the assigned keys, checked against the known ones', () => {
    const known = { a: { b: 1, c: 'x' }, d: 3 };
    const patch: Record<string, unknown> = {};
    applyAssignment(patch, 'a.c="y"', known);
    applyAssignment(patch, 'd=4', known);
    expect(patch).toEqual({ a: { c: 'y' }, d: 4 });
    expect(() => applyAssignment(patch, 'a.z=1', known)).toThrow(/no setting a\.z/);
    expect(() => applyAssignment(patch, 'd.e=1', known)).toThrow(/no setting d\.e/);
  });
});
