import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TendFailure } from '../../../../src-shared/errors';
import {
  applyLegacyMigration,
  legacyStatus,
  recoverLegacyMigration,
  rollbackLegacyMigration,
} from '../../../../src-main/engine/maintenance/legacy-migration';
import { planLegacyMigration } from '../../../../src-main/engine/maintenance/legacy-plan';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { snapshotTree } from './support';

const DOCS = 'local_data/internal_assistant/documents';

function legacyRoot(): string {
  const root = tempDir();
  writeFile(path.join(root, 'data/uploads/e1/a.txt'), 'alpha');
  writeFile(path.join(root, 'data/uploads/e1/same.txt'), 'same bytes');
  writeFile(path.join(root, 'data/uploads/e1/clash.txt'), 'legacy version');
  writeFile(path.join(root, 'data/api_storage/entities.json'), '{"version":1}');
  fs.mkdirSync(path.join(root, 'data/entity_scoped/empty'), { recursive: true });
  writeFile(path.join(root, `${DOCS}/e1/same.txt`), 'same bytes');
  writeFile(path.join(root, `${DOCS}/e1/clash.txt`), 'current version');
  // The current file is newer than the legacy one.
  fs.utimesSync(
    path.join(root, 'data/uploads/e1/clash.txt'),
    new Date('2025-01-01'),
    new Date('2025-01-01'),
  );
  fs.mkdirSync(path.join(root, '.tend'), { recursive: true });
  return root;
}

const run = (root: string, plan: Awaited<ReturnType<typeof planLegacyMigration>>, dryRun = false) =>
  applyLegacyMigration(root, plan, { dryRun, context: null, backup: null });

describe('legacy migration', () => {
  it('plans every move, finds the identical file and the conflict, and never overwrites without a choice', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    const plan = await planLegacyMigration(root, 'ask');
    const byFrom = Object.fromEntries(plan.moves.map((m) => [m.from, m]));
    expect(byFrom['data/uploads/e1/a.txt']?.action).toBe('move');
    expect(byFrom['data/uploads/e1/same.txt']?.action).toBe('drop-identical');
    expect(byFrom['data/uploads/e1/clash.txt']?.action).toBe('conflict');
    expect(byFrom['data/uploads/e1/clash.txt']?.existing?.bytes).toBe('current version'.length);
    expect(plan.unresolved).toBe(1);
    expect(plan.files).toBe(4);
    const error = await run(root, plan).catch((e: unknown) => e);
    expect((error as TendFailure).code).toBe('LEGACY_CONFLICT_UNRESOLVED');
    expect(snapshotTree(root)).toEqual(before);
    // A dry run of a settled plan moves nothing either.
    const report = await run(root, await planLegacyMigration(root, 'keep-both'), true);
    expect(report.moved).toBe(3);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('keeps both on request, and a rollback puts everything back as it was', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    const report = await run(root, await planLegacyMigration(root, 'keep-both'));
    expect(report).toMatchObject({ moved: 3, droppedIdentical: 1 });
    expect(fs.existsSync(path.join(root, 'data'))).toBe(false);
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/clash.txt`), 'utf8')).toBe(
      'current version',
    );
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/clash (legacy).txt`), 'utf8')).toBe(
      'legacy version',
    );
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/a.txt`), 'utf8')).toBe('alpha');
    expect(legacyStatus(root)).toMatchObject({
      state: 'applied',
      canRollBack: true,
      hasLegacyData: false,
    });

    await rollbackLegacyMigration(root, null);
    expect(snapshotTree(root)).toEqual(before);
    expect(legacyStatus(root)).toMatchObject({ state: 'rolled-back', canRollBack: false });
    await expect(rollbackLegacyMigration(root, null)).rejects.toMatchObject({
      code: 'LEGACY_NOTHING_TO_ROLL_BACK',
    });
  });

  it('keep-newer keeps the newer current file and sets the legacy one aside for undo', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    await run(root, await planLegacyMigration(root, 'keep-newer'));
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/clash.txt`), 'utf8')).toBe(
      'current version',
    );
    await rollbackLegacyMigration(root, null);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a choice to take the legacy file replaces the current one, which the rollback restores', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    const plan = await planLegacyMigration(root, 'ask', {
      'data/uploads/e1/clash.txt': 'keep-newer',
    });
    expect(plan.moves.find((m) => m.from.endsWith('clash.txt'))?.action).toBe('keep-current');
    fs.utimesSync(
      path.join(root, 'data/uploads/e1/clash.txt'),
      new Date(),
      new Date(Date.now() + 60_000),
    );
    await run(
      root,
      await planLegacyMigration(root, 'ask', { 'data/uploads/e1/clash.txt': 'keep-newer' }),
    );
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/clash.txt`), 'utf8')).toBe('legacy version');
    await rollbackLegacyMigration(root, null);
    const after = snapshotTree(root);
    expect(after).toEqual(before);
  });

  it('a journal left "applying" by a dead process is rolled back at the next start', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    await run(root, await planLegacyMigration(root, 'keep-both'));
    // Make the journal look like a process that died half-way through.
    const file = path.join(root, '.tend/legacy-migration/journal.json');
    const journal = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...journal,
        state: 'applying',
        owner: { host: journal.owner.host, pid: 2 ** 22 + 7 },
      }),
    );
    expect(await recoverLegacyMigration(root)).toBe(true);
    expect(snapshotTree(root)).toEqual(before);
    expect(await recoverLegacyMigration(root)).toBe(false);
  });
});
