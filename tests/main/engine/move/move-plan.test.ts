import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planMove } from '../../../../src-main/engine/move/move-plan';
import { moveCheckList } from '../../../../src-main/engine/move/plan-checks';
import {
  fingerprint,
  mountTmpfs,
  moveFixture,
  unmountAll,
  type MoveFixture,
} from './support/move-fixture';

const open: MoveFixture[] = [];
afterEach(async () => {
  for (const f of open.splice(0)) await f.engine.close();
  unmountAll();
});

async function fixture(megabytes?: number) {
  const f = await moveFixture(megabytes);
  open.push(f);
  return f;
}

async function refusalsFor(f: MoveFixture, target: string) {
  const plan = await f.engine.call('move:plan', { target });
  return plan.refusals.map((refusal) => refusal.code);
}

describe('move plan: targets that are refused, each with its reason, nothing written', () => {
  it('the source itself, a folder inside it, and its parent (Jan #4988)', async () => {
    const f = await fixture();
    const before = fingerprint(f.root);
    expect(await refusalsFor(f, f.root)).toEqual(['MOVE_TARGET_OVERLAPS']);
    expect(await refusalsFor(f, path.join(f.root, 'moved'))).toEqual(['MOVE_TARGET_OVERLAPS']);
    expect(await refusalsFor(f, path.join(f.root, 'local_data'))).toEqual(['MOVE_TARGET_OVERLAPS']);
    // Its parent holds it (and is not empty): never a target, whatever is in it.
    const parent = await f.engine.call('move:plan', { target: f.base });
    expect(parent.refusals[0]?.code).toBe('MOVE_TARGET_OVERLAPS');
    expect(parent.refusals[0]?.message).toContain('holds the data folder');
    // A link that leads inside the source is followed and refused the same way.
    fs.symlinkSync(path.join(f.root, 'local_data'), path.join(f.base, 'sneaky'));
    expect(await refusalsFor(f, path.join(f.base, 'sneaky', 'moved'))).toEqual([
      'MOVE_TARGET_OVERLAPS',
    ]);
    expect(fs.existsSync(path.join(f.root, 'moved'))).toBe(false);
    expect(fingerprint(f.root)).toEqual(before);
  });

  it('the apply is refused with the same code, and nothing is written anywhere', async () => {
    const f = await fixture();
    const before = fingerprint(f.root);
    await expect(
      f.engine.call('move:apply', { target: path.join(f.root, 'local_data', 'x') }),
    ).rejects.toMatchObject({ code: 'MOVE_TARGET_OVERLAPS' });
    await expect(f.engine.call('move:apply', { target: f.base })).rejects.toMatchObject({
      code: 'MOVE_TARGET_OVERLAPS',
    });
    expect(fingerprint(f.root)).toEqual(before);
    expect(fs.readdirSync(f.base).sort()).toEqual(
      ['assistant', 'state', ...(f.otherIsTmpfs ? [path.basename(f.otherDisk)] : ['other'])].sort(),
    );
  });

  it('a folder that holds files, a link loop, a missing parent', async () => {
    const f = await fixture();
    const busy = path.join(f.otherDisk, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'someone-else.txt'), 'keep me');
    expect(await refusalsFor(f, busy)).toEqual(['MOVE_TARGET_NOT_EMPTY']);
    fs.symlinkSync(path.join(f.otherDisk, 'loop-b'), path.join(f.otherDisk, 'loop-a'));
    fs.symlinkSync(path.join(f.otherDisk, 'loop-a'), path.join(f.otherDisk, 'loop-b'));
    expect(await refusalsFor(f, path.join(f.otherDisk, 'loop-a'))).toEqual([
      'MOVE_TARGET_UNUSABLE',
    ]);
    expect(await refusalsFor(f, path.join(f.otherDisk, 'loop-a', 'data'))).toEqual([
      'MOVE_TARGET_UNUSABLE',
    ]);
    expect(await refusalsFor(f, path.join(f.otherDisk, 'no', 'data'))).toEqual([
      'MOVE_TARGET_UNUSABLE',
    ]);
    expect(fs.readFileSync(path.join(busy, 'someone-else.txt'), 'utf8')).toBe('keep me');
  });

  it('a full disk (the free-space probe): the numbers are shown', async () => {
    const f = await fixture();
    const { plan } = await planMove(f.engine.requireSession(), path.join(f.otherDisk, 'data'), {
      freeBytes: async () => 1024 * 1024,
    });
    if (plan.method === 'copy') {
      expect(plan.refusals.map((r) => r.code)).toEqual(['MOVE_NO_SPACE']);
      expect(plan.space.freeBytes).toBe(1024 * 1024);
      expect(plan.space.neededBytes).toBe(plan.bytes + plan.space.marginBytes);
      expect(plan.refusals[0]?.message).toMatch(/needs .* free .* only 1 MiB are free/);
    }
  });

  it('a real small tmpfs: too small for the data and its margin', async () => {
    const f = await fixture();
    const small = mountTmpfs(f.base, 8);
    if (!small) return; // No tmpfs here: the probe test above covers the check.
    const plan = await f.engine.call('move:plan', { target: path.join(small, 'data') });
    expect(plan.method).toBe('copy');
    expect(plan.refusals.map((r) => r.code)).toEqual(['MOVE_NO_SPACE']);
    expect(plan.space.freeBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  it('a read-only disk', async () => {
    const f = await fixture();
    const readOnly = mountTmpfs(f.base, 256, ['ro']);
    if (!readOnly) return;
    const plan = await f.engine.call('move:plan', { target: path.join(readOnly, 'data') });
    expect(plan.refusals.map((r) => r.code)).toEqual(['MOVE_TARGET_UNUSABLE']);
    expect(plan.refusals[0]?.message).toContain('read-only');
  });

  it('the app running: a lock file of a live process', async () => {
    const f = await fixture();
    const lock = path.join(f.root, 'local_data', 'internal_assistant', 'writer.lock');
    fs.writeFileSync(lock, String(process.pid));
    expect(await refusalsFor(f, path.join(f.otherDisk, 'data'))).toEqual(['MOVE_APP_RUNNING']);
    // A lock of a process that is gone does not stop it.
    fs.writeFileSync(lock, '999999');
    expect(await refusalsFor(f, path.join(f.otherDisk, 'data'))).toEqual([]);
  });

  it('a good target: every number and the changes, before anything happens', async () => {
    const f = await fixture();
    const target = path.join(f.otherDisk, 'data');
    const plan = await f.engine.call('move:plan', { target });
    expect(plan.refusals).toEqual([]);
    expect(plan.method).toBe(f.otherIsTmpfs ? 'copy' : 'rename');
    expect(plan.files).toBeGreaterThan(100);
    expect(plan.bytes).toBeGreaterThan(1024 * 1024);
    expect(plan.changes.map((change) => change.kind)).toEqual([
      'env',
      'env',
      'settings-file',
      'tend',
    ]);
    expect(plan.changes[0]).toMatchObject({ line: `PGPT_DATA_FOLDER=${target}` });
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('move plan: each check with its result, the passed ones included', () => {
  it.each([
    {
      found: {},
      outcomes: ['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped'],
    },
    {
      found: {
        place: { outcome: 'refused', detail: 'inside' },
        app: { outcome: 'passed', detail: 'no' },
      },
      outcomes: ['refused', 'skipped', 'skipped', 'skipped', 'passed', 'skipped'],
    },
  ] as const)(
    'moveCheckList keeps one order and skips what was not run (%#)',
    ({ found, outcomes }) => {
      const list = moveCheckList(found);
      expect(list.map((check) => check.name)).toEqual([
        'place',
        'empty',
        'writable',
        'space',
        'app',
        'files',
      ]);
      expect(list.map((check) => check.outcome)).toEqual(outcomes);
      for (const check of list.filter((c) => c.outcome === 'skipped')) {
        expect(check.detail).toContain('Not checked');
      }
    },
  );

  it('a good target passes every check, with the numbers', async () => {
    const f = await fixture();
    const plan = await f.engine.call('move:plan', { target: path.join(f.otherDisk, 'data') });
    expect(plan.checks.map((check) => [check.name, check.outcome])).toEqual([
      ['place', 'passed'],
      ['empty', 'passed'],
      ['writable', 'passed'],
      ['space', 'passed'],
      ['app', 'passed'],
      ['files', 'passed'],
    ]);
    const space = plan.checks.find((check) => check.name === 'space')!;
    expect(space.detail).toMatch(plan.method === 'copy' ? /Needs .* margin .* free/ : /renamed/);
    expect(plan.checks.find((check) => check.name === 'empty')!.detail).toContain('is new');
  });

  it('a target inside the source: the place refused, the target checks skipped', async () => {
    const f = await fixture();
    const plan = await f.engine.call('move:plan', { target: path.join(f.root, 'moved') });
    expect(plan.checks.map((check) => check.outcome)).toEqual([
      'refused',
      'skipped',
      'skipped',
      'skipped',
      'passed',
      'passed',
    ]);
    expect(plan.checks[0]!.detail).toBe(plan.refusals[0]!.message);
  });

  it('a full disk and a folder that is not empty: refused, each beside its check', async () => {
    const f = await fixture();
    const busy = path.join(f.otherDisk, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'someone-else.txt'), 'keep me');
    const { plan } = await planMove(f.engine.requireSession(), busy, {
      freeBytes: async () => 1024 * 1024,
    });
    const outcome = (name: string) => plan.checks.find((check) => check.name === name)?.outcome;
    expect(outcome('empty')).toBe('refused');
    expect(outcome('space')).toBe(plan.method === 'copy' ? 'refused' : 'passed');
    expect(outcome('place')).toBe('passed');
  });
});
