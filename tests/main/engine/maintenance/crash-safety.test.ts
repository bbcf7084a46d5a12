/**
 * The process killed (SIGKILL) in the middle of a legacy migration, a schema migration and an
 * archival run: the real CLI runs in a child process and kills itself at a named fault point
 * (TEND_FAULT_POINT). Afterwards the data is as before or as after, and the next start puts it
 * right by itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dailyFigures } from '../../../../src-main/engine/maintenance/daily-figures';
import { openHistoryDb } from '../../../../src-main/engine/maintenance/history-db';
import { maintenancePathsOf } from '../../../../src-main/engine/maintenance/maintenance-paths';
import { nativeProfile } from '../../../../src-main/engine/profiles/native/native-profile';
import { stateOfRoot } from '../../../support/root-state';

const maintenancePaths = maintenancePathsOf(nativeProfile.assistantStore!);
/** Tend's state of a root the CLI opened (in the state folder `tend()` gives it). */
const stateOf = (root: string) =>
  stateOfRoot(path.join(root, '..', `${path.basename(root)}-state`), root);
import { nativePaths } from '../../../support/native-root';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { addInteractions, makeAssistantDb, snapshotTree, versionOneRoot } from './support';

const repo = path.resolve(__dirname, '../../../..');

function tend(root: string, args: string[], fault?: { point: string; skip?: number }) {
  const result = spawnSync(
    process.execPath,
    [path.join(repo, 'bin/tend.mjs'), '--root', root, ...args],
    {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        TEND_STATE_DIR: path.join(root, '..', `${path.basename(root)}-state`),
        TEND_FAULT_POINT: fault?.point ?? '',
        TEND_FAULT_SKIP: String(fault?.skip ?? 0),
      },
    },
  );
  return result;
}

function killedAt(root: string, args: string[], point: string, skip = 0) {
  const result = tend(root, args, { point, skip });
  expect(result.signal, result.stderr).toBe('SIGKILL');
  // The killed process's data lock is left behind; the next command frees it at once because
  // its holder is gone (jobs/data-lock.ts), so the test leaves it where it is.
  expect(fs.existsSync(path.join(stateOf(root).locks, 'data.lock'))).toBe(true);
}

describe('crash safety', { timeout: 120_000 }, () => {
  it.each([
    // Before anything moved: the backup is taken, then the journal is written.
    ['legacy:after-backup', 0],
    ['legacy:after-journal', 0],
    // After the first, a middle and the last of the 13 moves.
    ['legacy:after-move', 0],
    ['legacy:after-move', 5],
    ['legacy:after-move', 12],
    // Every file moved, data/'s empty folders removed, the journal not yet "applied".
    ['legacy:after-cleanup', 0],
  ])(
    'a legacy migration killed at %s (pass %d) is rolled back at the next start',
    (point, skip) => {
      const root = tempDir();
      for (let i = 0; i < 12; i++)
        writeFile(path.join(root, `data/uploads/e${i % 3}/doc-${i}.txt`), `doc ${i}`);
      writeFile(path.join(root, 'data/api_storage/entities.json'), '{}');
      writeFile(
        path.join(root, 'local_data/internal_assistant/documents/e0/doc-0.txt'),
        'a newer doc 0',
      );
      fs.mkdirSync(path.join(root, '.tend'), { recursive: true });
      const before = snapshotTree(root);
      killedAt(root, ['migrate', 'apply', '--resolve', 'keep-both'], point, skip);
      // The next start (any command) rolls it back.
      const status = tend(root, ['call', 'legacy:status']);
      expect(status.status, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        state: point === 'legacy:after-backup' ? null : 'rolled-back',
        hasLegacyData: true,
      });
      expect(snapshotTree(root)).toEqual(before);
      // And the migration then runs to the end.
      expect(tend(root, ['migrate', 'apply', '--resolve', 'keep-both']).status).toBe(0);
      expect(fs.existsSync(path.join(root, 'data'))).toBe(false);
    },
  );

  it('a legacy migration with the assistant writing into data/ all along loses no file', async () => {
    const root = tempDir();
    for (let i = 0; i < 300; i++)
      writeFile(path.join(root, `data/uploads/old/doc-${i}.txt`), `doc ${i}`);
    fs.mkdirSync(path.join(root, '.tend'), { recursive: true });
    const stop = path.join(root, '..', `${path.basename(root)}-stop`);
    const log = path.join(root, '..', `${path.basename(root)}-written`);
    // A writer that adds a file to data/uploads/new/ every few milliseconds until told to stop
    // (at most 3,000 files), and logs each one it wrote whole.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs');
         const [dir, stop, log] = process.argv.slice(1);
         let n = 0;
         const tick = () => {
           if (fs.existsSync(stop) || n >= 3000) return;
           try {
             fs.mkdirSync(dir, { recursive: true });
             fs.writeFileSync(dir + '/new-' + n + '.txt', 'new ' + n);
             fs.appendFileSync(log, n + '\\n');
             n++;
           } catch {}
           setTimeout(tick, 3);
         };
         tick();`,
        path.join(root, 'data/uploads/new'),
        stop,
        log,
      ],
      { stdio: 'ignore' },
    );
    const migrate = spawn(
      process.execPath,
      [
        path.join(repo, 'bin/tend.mjs'),
        '--root',
        root,
        'migrate',
        'apply',
        '--resolve',
        'keep-both',
      ],
      {
        cwd: repo,
        stdio: 'ignore',
        env: {
          ...process.env,
          TEND_STATE_DIR: path.join(root, '..', `${path.basename(root)}-state`),
        },
      },
    );
    const code = await new Promise<number | null>((resolve) => migrate.on('exit', resolve));
    fs.writeFileSync(stop, '');
    await new Promise((resolve) => writer.on('exit', resolve));
    expect(code).toBe(0);
    const written = fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
    expect(written.length).toBeGreaterThan(0);
    const docs = path.join(root, 'local_data/internal_assistant/documents');
    for (const n of written) {
      const moved = path.join(docs, `new/new-${n}.txt`);
      const left = path.join(root, `data/uploads/new/new-${n}.txt`);
      const where = fs.existsSync(moved) ? moved : left;
      expect(fs.readFileSync(where, 'utf8'), `new-${n}.txt`).toBe(`new ${n}`);
    }
    for (let i = 0; i < 300; i++) {
      expect(fs.readFileSync(path.join(docs, `old/doc-${i}.txt`), 'utf8')).toBe(`doc ${i}`);
    }
  });

  it('a legacy rollback killed half-way is finished at the next start', () => {
    const root = tempDir();
    for (let i = 0; i < 8; i++) writeFile(path.join(root, `data/uploads/doc-${i}.txt`), `doc ${i}`);
    fs.mkdirSync(path.join(root, '.tend'), { recursive: true });
    const before = snapshotTree(root);
    expect(tend(root, ['migrate', 'apply']).status).toBe(0);
    killedAt(root, ['migrate', 'rollback'], 'legacy:after-undo', 3);
    expect(tend(root, ['call', 'legacy:status']).status).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
  });

  it.each([
    ['schema:after-copy', 1],
    ['schema:after-backup', 1],
    ['schema:after-step', 2],
    ['schema:after-check', 2],
  ])(
    'a schema migration killed at %s keeps what committed, loses no row written since, and says so',
    (point, version) => {
      const root = versionOneRoot();
      const file = path.join(root, nativePaths.assistantDb);
      const state = () => {
        const handle = new Database(file);
        try {
          return {
            version: handle.pragma('user_version', { simple: true }),
            rows: (handle.prepare('SELECT count(*) AS n FROM interactions').get() as { n: number })
              .n,
          };
        } finally {
          handle.close();
        }
      };
      killedAt(root, ['migrate', 'apply'], point);
      // The assistant goes on writing: 100 interactions after the kill.
      const writer = new Database(file);
      addInteractions(writer, '2026-04-01', 50, 2);
      writer.close();
      const info = tend(root, ['info']);
      expect(info.status, info.stderr).toBe(0);
      expect(state()).toEqual({ version, rows: 130 });
      expect(info.stdout).toMatch(
        /Notice .*schema migration of assistant.db from version 1 to 2 was interrupted/,
      );
      expect(info.stdout).toMatch(
        /Nothing was put back from the copy, so no row written since is lost/,
      );
      const plan = tend(root, ['migrate', 'plan']);
      expect(plan.stdout).toMatch(/Run tend migrate apply/);
      const apply = tend(root, ['migrate', 'apply']);
      expect(apply.status, apply.stderr).toBe(0);
      expect(state()).toEqual({ version: 2, rows: 130 });
      expect(fs.existsSync(stateOf(root).schemaJournal)).toBe(false);
      expect(fs.existsSync(stateOf(root).schemaCopy)).toBe(false);
      expect(tend(root, ['info']).stdout).not.toMatch(/Notice/);
    },
  );

  it.each([
    ['archival:after-cold', 1],
    ['archival:after-warm', 2],
    ['archival:after-month', 0],
  ])(
    'an archival run killed at %s (pass %d) never loses or double-counts a row',
    async (point, skip) => {
      const root = tempDir();
      fs.mkdirSync(path.join(root, '.tend'), { recursive: true });
      const assistant = makeAssistantDb(root);
      // Eight months, ending well past the hot days.
      const total = addInteractions(assistant, '2025-12-01', 240, 4);
      assistant.close();
      const figures = async () => {
        const a = new Database(path.join(root, nativePaths.assistantDb), { readonly: true });
        const historyFile = path.join(root, maintenancePaths.historyDb);
        const h = fs.existsSync(historyFile) ? openHistoryDb(historyFile) : null;
        try {
          return await dailyFigures(
            a,
            h,
            path.join(root, maintenancePaths.coldArchive),
            '2025-11-01',
            '2026-08-31',
          );
        } finally {
          h?.close();
          a.close();
        }
      };
      const sum = (days: Awaited<ReturnType<typeof figures>>) =>
        days.reduce((n, d) => n + d.interactions, 0);
      const before = (await figures()).map(({ tier: _t, ...rest }) => rest);
      expect(sum(await figures())).toBe(total);

      killedAt(root, ['archive', 'run'], point, skip);
      // Right after the kill, before any recovery, a reader sees every row exactly once.
      expect((await figures()).map(({ tier: _t, ...rest }) => rest)).toEqual(before);

      const tiers = tend(root, ['--json', 'archive', 'tiers']);
      expect(tiers.status, tiers.stderr).toBe(0);
      const t = JSON.parse(tiers.stdout);
      expect(t.hot.rows + t.warm.interactions).toBe(total);
      expect((await figures()).map(({ tier: _t, ...rest }) => rest)).toEqual(before);

      const run = tend(root, ['--json', 'archive', 'run']);
      expect(run.status, run.stderr).toBe(0);
      const after = JSON.parse(tend(root, ['--json', 'archive', 'tiers']).stdout);
      expect(after.hot.rows + after.warm.interactions).toBe(total);
      expect(after.cold.rows).toBe(after.warm.interactions);
      expect((await figures()).map(({ tier: _t, ...rest }) => rest)).toEqual(before);
    },
  );
});
