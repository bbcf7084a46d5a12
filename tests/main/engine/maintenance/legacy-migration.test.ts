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
import type { JobContext } from '../../../../src-main/engine/jobs/job-runner';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { snapshotTree } from './support';
import { maintenanceRootAt, stateDirBeside } from '../../../support/native-root';

/** The root as the maintenance functions take it, its state beside it. */
const m = (root: string) => maintenanceRootAt(root, stateDirBeside(root));

/** Every regular file under a folder, by its bytes' path (names that are not UTF-8 included). */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: Buffer, relative: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true, encoding: 'buffer' })) {
      const child = Buffer.concat([at, Buffer.from('/'), entry.name]);
      const name = `${relative}${entry.name.toString('latin1')}`;
      if (entry.isDirectory()) walk(child, `${name}/`);
      else out.set(name, fs.readFileSync(child).toString('base64'));
    }
  };
  walk(Buffer.from(dir), '');
  return out;
}

/** A job context whose progress reports run `onProgress`: a writer busy while files move. */
function contextWith(onProgress: () => void): JobContext {
  return {
    signal: new AbortController().signal,
    jobId: 'test',
    progress: onProgress,
    throwIfCancelled: () => undefined,
  };
}

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
  applyLegacyMigration(m(root), plan, { dryRun, context: null, backup: null });

describe('legacy migration', () => {
  it('plans every move, finds the identical file and the conflict, and never overwrites without a choice', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    const plan = await planLegacyMigration(m(root), 'ask');
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
    const report = await run(root, await planLegacyMigration(m(root), 'keep-both'), true);
    expect(report.moved).toBe(3);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('keeps both on request, and a rollback puts everything back as it was', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    const report = await run(root, await planLegacyMigration(m(root), 'keep-both'));
    expect(report).toMatchObject({ moved: 3, droppedIdentical: 1 });
    expect(fs.existsSync(path.join(root, 'data'))).toBe(false);
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/clash.txt`), 'utf8')).toBe(
      'current version',
    );
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/clash (legacy).txt`), 'utf8')).toBe(
      'legacy version',
    );
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/a.txt`), 'utf8')).toBe('alpha');
    expect(legacyStatus(m(root))).toMatchObject({
      state: 'applied',
      canRollBack: true,
      hasLegacyData: false,
    });

    await rollbackLegacyMigration(m(root), null);
    expect(snapshotTree(root)).toEqual(before);
    expect(legacyStatus(m(root))).toMatchObject({ state: 'rolled-back', canRollBack: false });
    await expect(rollbackLegacyMigration(m(root), null)).rejects.toMatchObject({
      code: 'LEGACY_NOTHING_TO_ROLL_BACK',
    });
  });

  it('keep-newer keeps the newer current file and sets the legacy one aside for undo', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    await run(root, await planLegacyMigration(m(root), 'keep-newer'));
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/clash.txt`), 'utf8')).toBe(
      'current version',
    );
    await rollbackLegacyMigration(m(root), null);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a choice to take the legacy file replaces the current one, which the rollback restores', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    const plan = await planLegacyMigration(m(root), 'ask', {
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
      await planLegacyMigration(m(root), 'ask', { 'data/uploads/e1/clash.txt': 'keep-newer' }),
    );
    expect(fs.readFileSync(path.join(root, `${DOCS}/e1/clash.txt`), 'utf8')).toBe('legacy version');
    await rollbackLegacyMigration(m(root), null);
    const after = snapshotTree(root);
    expect(after).toEqual(before);
  });

  it('a journal left "applying" by a dead process is rolled back at the next start', async () => {
    const root = legacyRoot();
    const before = snapshotTree(root);
    await run(root, await planLegacyMigration(m(root), 'keep-both'));
    // Make the journal look like a process that died half-way through.
    const file = m(root).state.legacyJournal;
    const journal = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...journal,
        state: 'applying',
        owner: { host: journal.owner.host, pid: 2 ** 22 + 7 },
      }),
    );
    expect(await recoverLegacyMigration(m(root))).toBe(true);
    expect(snapshotTree(root)).toEqual(before);
    expect(await recoverLegacyMigration(m(root))).toBe(false);
  });

  it('moves files that arrive in data/ while it runs, and never removes one it did not move', async () => {
    const root = legacyRoot();
    let written = 0;
    const arrivals: string[] = [];
    // A writer adds a file to data/ at every step: between the plan and the first move, and
    // after each move (the last ones arrive after the final look and must stay in data/).
    const write = () => {
      const name = `data/uploads/e1/new-${written++}.txt`;
      writeFile(path.join(root, name), `arrived ${written}`);
      arrivals.push(name);
    };
    const plan = await planLegacyMigration(m(root), 'keep-both');
    const before = filesUnder(path.join(root, 'data'));
    const report = await applyLegacyMigration(m(root), plan, {
      dryRun: false,
      context: contextWith(write),
      backup: async () => {
        write();
        return null;
      },
      choices: {},
    });
    const docs = filesUnder(path.join(root, DOCS));
    const legacy = fs.existsSync(path.join(root, 'data'))
      ? filesUnder(path.join(root, 'data'))
      : new Map();
    for (const name of arrivals) {
      const relative = name.replace('data/uploads/', '');
      const found = docs.get(relative) ?? legacy.get(relative.replace(/^/, 'uploads/'));
      expect(found, name).toBe(
        Buffer.from(`arrived ${arrivals.indexOf(name) + 1}`).toString('base64'),
      );
    }
    // Every planned file is in its new place too.
    expect(docs.get('e1/a.txt')).toBe(before.get('uploads/e1/a.txt'));
    // What is still in data/ is reported, not deleted.
    expect(report.leftInPlace).toEqual([...legacy.keys()].map((k) => `data/${k}`).sort());
    expect(legacyStatus(m(root))).toMatchObject({ state: 'applied' });
  });

  it('never deletes a set-aside file: a rollback that cannot put one back keeps it and names it', async () => {
    const root = legacyRoot();
    writeFile(path.join(root, 'data/logs/app.log'), 'old log');
    writeFile(path.join(root, 'local_data/logs/legacy/app.log'), 'newer log, other bytes');
    fs.utimesSync(
      path.join(root, 'data/logs/app.log'),
      new Date('2024-01-01'),
      new Date('2024-01-01'),
    );
    const report = await run(root, await planLegacyMigration(m(root), 'keep-newer'));
    const aside = `${report.setAsideFolder}/data/logs/app.log`;
    expect(fs.readFileSync(path.join(root, aside), 'utf8')).toBe('old log');
    // The assistant writes a new data/logs/app.log before the rollback.
    writeFile(path.join(root, 'data/logs/app.log'), 'a brand new log');
    const undone = await rollbackLegacyMigration(m(root), null);
    expect(undone.keptAside).toEqual([aside]);
    expect(fs.readFileSync(path.join(root, aside), 'utf8')).toBe('old log');
    expect(fs.readFileSync(path.join(root, 'data/logs/app.log'), 'utf8')).toBe('a brand new log');
    expect(legacyStatus(m(root)).setAside).toMatchObject({ files: 1 });
  });

  it('a second migration keeps what the first one set aside', async () => {
    const root = legacyRoot();
    const first = await run(root, await planLegacyMigration(m(root), 'keep-newer'));
    const firstAside = `${first.setAsideFolder}/data/uploads/e1/clash.txt`;
    expect(fs.readFileSync(path.join(root, firstAside), 'utf8')).toBe('legacy version');
    // data/ comes back (an old copy of the assistant writes there) with another clash.
    writeFile(path.join(root, 'data/uploads/e1/a.txt'), 'alpha, again but other');
    fs.utimesSync(
      path.join(root, 'data/uploads/e1/a.txt'),
      new Date('2024-01-01'),
      new Date('2024-01-01'),
    );
    const second = await run(root, await planLegacyMigration(m(root), 'keep-newer'));
    expect(second.id).not.toBe(first.id);
    expect(fs.readFileSync(path.join(root, firstAside), 'utf8')).toBe('legacy version');
    expect(
      fs.readFileSync(path.join(root, `${second.setAsideFolder}/data/uploads/e1/a.txt`), 'utf8'),
    ).toBe('alpha, again but other');
    expect(legacyStatus(m(root)).setAside).toMatchObject({ files: 3 });
  });

  it('a move that fails puts everything back and says so, with its own code', async () => {
    const root = legacyRoot();
    writeFile(path.join(root, 'data/uploads/e2/b.txt'), 'bravo');
    // A file stands where the folder e2 must be made: the move of e2/b.txt fails.
    writeFile(path.join(root, `${DOCS}/e2`), 'not a folder');
    const before = snapshotTree(root);
    const error = await run(root, await planLegacyMigration(m(root), 'keep-both')).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'LEGACY_MIGRATION_FAILED' });
    expect((error as Error).message).toMatch(
      /Moving data\/uploads\/e2\/b.txt failed \(E[A-Z]+: .*\)\. The \d+ files? moved before were put back: data\/ is as it was/,
    );
    expect(snapshotTree(root)).toEqual(before);
    expect(legacyStatus(m(root))).toMatchObject({ state: 'rolled-back', hasLegacyData: true });
  });

  it('plans, moves and puts back a file whose name is not UTF-8, byte for byte', async () => {
    const root = legacyRoot();
    // "résumé.txt" in Latin-1.
    const latin1 = Buffer.from('r\xe9sum\xe9.txt', 'latin1');
    const legacyFile = Buffer.concat([Buffer.from(`${root}/data/uploads/e1/`), latin1]);
    fs.writeFileSync(legacyFile, 'my cv');
    const before = filesUnder(root);
    const plan = await planLegacyMigration(m(root), 'keep-both');
    const move = plan.moves.find((m) => m.raw !== undefined)!;
    expect(move.from).toBe('data/uploads/e1/r\ufffdsum\ufffd.txt');
    await run(root, plan);
    const moved = Buffer.concat([Buffer.from(`${root}/${DOCS}/e1/`), latin1]);
    expect(fs.readFileSync(moved, 'utf8')).toBe('my cv');
    expect(fs.existsSync(legacyFile)).toBe(false);
    await rollbackLegacyMigration(m(root), null);
    const after = filesUnder(root);
    for (const [name, bytes] of before) {
      if (!name.startsWith('.tend/')) expect(after.get(name), name).toBe(bytes);
    }
  });
});
