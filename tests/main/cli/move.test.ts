import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveTemplate } from '../engine/move/support/move-fixture';
import { tend } from '../../support/run-tend';
import { tempDir } from '../../support/temp-dir';

async function demoRoot() {
  const base = tempDir('tend-move-cli-');
  const root = path.join(base, 'assistant');
  // Times kept: the demo's leftover lock files are old, as a stopped app leaves them.
  fs.cpSync(await moveTemplate(), root, { recursive: true, preserveTimestamps: true });
  return { base, root };
}

describe('tend move', () => {
  it('plan shows the refusal; apply refuses with its code and exit 2; nothing without --yes', async () => {
    const { base, root } = await demoRoot();
    const inside = path.join(root, 'moved');
    const plan = await tend(['move', 'plan', inside, '--root', root, '--json'], base);
    // A refused plan is printed whole, then exits as apply would: a target refusal is 2.
    expect(plan.code).toBe(2);
    expect(JSON.parse(plan.stdout).refusals[0].code).toBe('MOVE_TARGET_OVERLAPS');
    expect(plan.stderr).toMatch(
      /This move cannot go ahead; nothing was changed\..*\(MOVE_TARGET_OVERLAPS\)/,
    );
    const text = await tend(['move', 'plan', inside, '--root', root], base);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('This move cannot go ahead:');
    const apply = await tend(['move', 'apply', inside, '--yes', '--root', root], base);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain('(MOVE_TARGET_OVERLAPS)');
    const noYes = await tend(['move', 'apply', path.join(base, 'new'), '--root', root], base);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('Add --yes to move');
    expect(noYes.stderr).toContain("Tend's record of the folder");
    expect(fs.existsSync(path.join(base, 'new'))).toBe(false);
    expect(fs.existsSync(inside)).toBe(false);
  });

  it('root admission: Tend’s state and system folders are refused, nothing made there', async () => {
    const { base, root } = await demoRoot();
    for (const target of [path.join(base, 'tend-state', 'x'), '/usr/tend-move-test']) {
      const plan = await tend(['move', 'plan', target, '--root', root, '--json'], base);
      expect(JSON.parse(plan.stdout).refusals[0].code).toBe('ROOT_NOT_ALLOWED');
      expect(plan.code).toBe(3);
      const apply = await tend(['move', 'apply', target, '--yes', '--root', root], base);
      expect(apply.code).toBe(3);
      expect(apply.stderr).toContain('(ROOT_NOT_ALLOWED)');
      expect(fs.existsSync(target)).toBe(false);
    }
  });

  it('apply, status, back, and forget-old with nothing left to forget', async () => {
    const { base, root } = await demoRoot();
    const target = path.join(base, 'moved');
    const apply = await tend(['move', 'apply', target, '--yes', '--root', root, '--json'], base);
    expect(apply.code, apply.stderr).toBe(0);
    expect(JSON.parse(apply.stdout).record).toMatchObject({ from: root, to: target });
    const status = await tend(['move', 'status', '--json'], base);
    expect(JSON.parse(status.stdout)).toMatchObject({ noBack: null, last: { to: target } });
    const back = await tend(['move', 'back', '--yes'], base);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain(`Moved back to ${root}`);
    expect(fs.existsSync(path.join(root, 'local_data'))).toBe(true);
    const forget = await tend(['move', 'forget-old', '--yes', '--root', root], base);
    expect(forget.code).toBe(2);
    expect(forget.stderr).toContain('(MOVE_NOTHING_TO_UNDO)');
  });
});
