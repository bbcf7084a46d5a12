import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScope } from '../../../src-main/cli/commands/restore';
import type { RestorePlan, RestoreReport } from '../../../src-shared/models/restore';
import { tempDir, writeFile } from '../../support/temp-dir';
import { exitCodeFor } from '../../../src-main/cli/exit-codes';
import { tend } from '../../support/run-tend';

describe('tend restore', () => {
  it('reads --scope', () => {
    expect(parseScope(undefined)).toEqual({ kind: 'everything' });
    expect(parseScope('categories:irreplaceable,rebuildable')).toEqual({
      kind: 'categories',
      categories: ['irreplaceable', 'rebuildable'],
    });
    expect(parseScope('collection:handbook')).toEqual({
      kind: 'collection',
      collection: 'handbook',
    });
    expect(parseScope('paths:config/a.yaml,config/b.yaml')).toEqual({
      kind: 'paths',
      paths: ['config/a.yaml', 'config/b.yaml'],
    });
    expect(() => parseScope('categories:precious')).toThrow(/not precious/);
    expect(() => parseScope('somewhere')).toThrow(/--scope/);
  });

  it('a refused plan is printed, then exits as apply would, with its code', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    expect((await tend(['init', root], base)).code).toBe(0);
    writeFile(path.join(root, 'config/settings.yaml'), 'model: mini\n');
    const dest = path.join(base, 'dest');
    expect(
      (await tend(['settings', 'set', `backup.destination="${dest}"`, '--root', root], base)).code,
    ).toBe(0);
    expect((await tend(['backup', 'create', '--root', root], base)).code).toBe(0);
    // A path in neither the backup nor the folder: the plan refuses, there is nothing to restore.
    const scope = ['--scope', 'paths:config/not-there.yaml'];
    const plan = await tend(
      ['restore', 'plan', 'latest', ...scope, '--root', root, '--json'],
      base,
    );
    const parsed = JSON.parse(plan.stdout) as RestorePlan;
    expect(parsed.refusals[0]?.code).toBe('RESTORE_NOTHING_TO_RESTORE');
    expect(plan.code).toBe(exitCodeFor('RESTORE_NOTHING_TO_RESTORE'));
    expect(plan.code).not.toBe(0);
    expect(plan.stderr).toContain('This restore cannot go ahead; nothing was changed.');
    const apply = await tend(
      ['restore', 'apply', 'latest', ...scope, '--yes', '--root', root],
      base,
    );
    expect(apply.code).toBe(plan.code);
    expect(apply.stderr).toContain('(RESTORE_NOTHING_TO_RESTORE)');
  });

  it('plans, refuses to apply without --yes, applies, and undoes, from a real backup', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    const dest = path.join(base, 'dest');
    const settingsFile = path.join(root, 'config/settings.yaml');
    expect((await tend(['init', root], base)).code).toBe(0);
    writeFile(settingsFile, 'model: mini\n');
    writeFile(path.join(root, 'local_data/internal_assistant/documents/a/b.md'), '# b\n');
    expect(
      (await tend(['settings', 'set', `backup.destination="${dest}"`, '--root', root], base)).code,
    ).toBe(0);
    expect((await tend(['backup', 'create', '--root', root], base)).code).toBe(0);
    fs.writeFileSync(settingsFile, 'model: huge\n');

    // No backup verified yet: "newest-verified" says so and names the one "latest" takes.
    const unverified = await tend(['restore', 'plan', 'newest-verified', '--root', root], base);
    expect(unverified.code).toBe(2);
    expect(unverified.stderr).toMatch(/No backup has been verified yet.*restore the latest one/);
    const listed = await tend(['restore', 'backups', '--root', root], base);
    expect(listed.stdout).toMatch(/Critical .* Not verified yet +← latest/);

    const plan = await tend(['restore', 'plan', 'latest', '--root', root, '--json'], base);
    expect(plan.code).toBe(0);
    const parsed = JSON.parse(plan.stdout) as RestorePlan;
    expect(parsed.backup.verified).toBe(false);
    expect(parsed.totals.replaced).toBe(2);
    expect(parsed.refusals).toEqual([]);

    const dry = await tend(['restore', 'apply', 'latest', '--root', root], base);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('Add --yes');
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe('model: huge\n');

    const applied = await tend(
      ['restore', 'apply', 'latest', '--scope', 'paths:config', '--yes', '--root', root],
      base,
    );
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Checks');
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe('model: mini\n');

    const undone = await tend(['restore', 'undo', '--yes', '--root', root, '--json'], base);
    expect(undone.code, undone.stderr).toBe(0);
    expect((JSON.parse(undone.stdout) as RestoreReport).undo).toBe(true);
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe('model: huge\n');

    // The last restore says it was undone, and no longer offers the undo.
    const last = await tend(['restore', 'last', '--root', root], base);
    expect(last.stdout).toMatch(/^Undone on /m);
    expect(last.stdout).not.toContain('undo --yes');

    // A folder given to import is refused in words, not with "EISDIR" (INTERNAL).
    const folder = await tend(['restore', 'import', dest, '--root', root], base);
    expect([folder.code, folder.stderr]).toEqual([
      2,
      expect.stringContaining(`${dest} is not a file. Give the backup archive itself`),
    ]);

    const again = await tend(['restore', 'undo', '--yes', '--root', root], base);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('RESTORE_NOTHING_TO_UNDO');
  });
});
