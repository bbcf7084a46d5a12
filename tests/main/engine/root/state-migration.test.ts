/**
 * An older Tend kept its state inside the data folder (`<root>/.tend/`). The first start of
 * this Tend moves it into its state folder, once, durably, and removes it from the data folder;
 * killed (SIGKILL) in the middle, the next start finishes it and nothing is lost.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import {
  MIGRATION_MARKER,
  migrateRootState,
} from '../../../../src-main/engine/root/state-migration';
import { nativePaths } from '../../../support/native-root';
import { entriesUnder, stateOfRoot } from '../../../support/root-state';
import { tempDir, writeFile } from '../../../support/temp-dir';

const repo = path.resolve(__dirname, '../../../..');

/**
 * Every file under a folder with the SHA-256 of its bytes, for before/after comparisons. A
 * SQLite `-shm` is left out: it is shared memory that every reader writes, not data.
 */
function filesOf(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entriesUnder(folder)) {
    const full = path.join(folder, entry);
    if (!fs.statSync(full).isFile() || entry.endsWith('-shm')) continue;
    out[entry] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}

/**
 * A native data folder with the state an older Tend left in its `.tend/`: settings (daily
 * retention 9), a catalog whose latest row (a safety snapshot in `.tend/snapshots`) is still
 * in its WAL, that snapshot, the last restore's record naming it, and a legacy migration's
 * journal and the file it set aside.
 */
async function folderWithOldState() {
  const base = tempDir();
  const root = path.join(base, 'assistant');
  writeFile(path.join(root, 'config/settings.yaml'), 'model: small\n');
  writeFile(path.join(root, nativePaths.documents, 'notes/a.md'), '# a\n');
  const older = path.join(base, 'older-tend');
  const engine = await Engine.start({ appStateDir: older, root });
  const settings = await engine.call('settings:get');
  await engine.call('settings:set', {
    settings: {
      ...settings,
      backup: { ...settings.backup, retention: { ...settings.backup.retention, daily: 9 } },
    },
  });
  const stateDir = engine.requireSession().state.dir;
  await engine.close();

  const oldDir = path.join(root, '.tend');
  const snapshots = path.join(oldDir, 'snapshots');
  writeFile(path.join(stateDir, 'snapshots/safety-1.tar.gz'), 'the safety snapshot');
  writeFile(
    path.join(stateDir, 'restore/last.json'),
    JSON.stringify({ snapshot: path.join(snapshots, 'safety-1.tar.gz') }),
  );
  const journal = JSON.stringify({
    version: 1,
    id: 'm1',
    state: 'applied',
    owner: { host: 'older-host', pid: 1 },
    createdAt: '2026-01-01T00:00:00.000Z',
    appliedAt: '2026-01-01T00:00:01.000Z',
    folders: [],
    createdFolders: [],
    moves: [],
  });
  writeFile(path.join(stateDir, 'legacy-migration/journal.json'), journal);
  writeFile(path.join(stateDir, 'legacy-migration/set-aside/m1/uploads/old.txt'), 'set aside');
  fs.cpSync(stateDir, oldDir, { recursive: true });
  // The latest catalog row still in the WAL when the older Tend stopped.
  const db = new Database(path.join(oldDir, 'catalog.db'));
  db.pragma('wal_autocheckpoint = 0');
  db.prepare(
    `INSERT INTO backups (id, kind, categories, state, destination, file_name, created_at, origin, host)
     VALUES ('b1', 'safety', '[]', 'completed', ?, 'safety-1.tar.gz', '2026-01-01T00:00:00Z', 'created', 'h')`,
  ).run(snapshots);
  const copy = path.join(base, 'copy');
  fs.cpSync(oldDir, copy, { recursive: true });
  db.close();
  fs.rmSync(oldDir, { recursive: true });
  fs.renameSync(copy, oldDir);
  expect(fs.statSync(path.join(oldDir, 'catalog.db-wal')).size).toBeGreaterThan(0);
  fs.rmSync(older, { recursive: true });
  return { base, root, oldDir, journal, state: path.join(base, 'state') };
}

/** The old state was moved whole: settings, catalog (WAL included), snapshots, journals. */
async function expectMoved(root: string, state: string, journal: string) {
  expect(fs.existsSync(path.join(root, '.tend'))).toBe(false);
  expect(
    fs.readFileSync(path.join(root, nativePaths.legacySetAside, 'm1/uploads/old.txt'), 'utf8'),
  ).toBe('set aside');
  const engine = await Engine.start({ appStateDir: state, root });
  const moved = stateOfRoot(state, root);
  expect((await engine.call('settings:get')).backup.retention.daily).toBe(9);
  expect(fs.readFileSync(path.join(moved.snapshots, 'safety-1.tar.gz'), 'utf8')).toBe(
    'the safety snapshot',
  );
  await engine.close();
  const db = new Database(moved.catalog, { readonly: true });
  try {
    expect(db.prepare("SELECT destination FROM backups WHERE id = 'b1'").get()).toEqual({
      destination: moved.snapshots,
    });
  } finally {
    db.close();
  }
  expect(JSON.parse(fs.readFileSync(moved.lastRestore, 'utf8'))).toEqual({
    snapshot: path.join(moved.snapshots, 'safety-1.tar.gz'),
  });
  expect(fs.readFileSync(moved.legacyJournal, 'utf8')).toBe(journal);
  expect(fs.existsSync(path.join(moved.dir, 'legacy-migration/set-aside'))).toBe(false);
  expect(fs.existsSync(`${moved.dir}.migrating`)).toBe(false);
}

/** `tend info` in a child process, killed at a fault point when one is given. */
function tendInfo(root: string, state: string, point = '') {
  return spawnSync(process.execPath, [path.join(repo, 'bin/tend.mjs'), '--root', root, 'info'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, TEND_STATE_DIR: state, TEND_FAULT_POINT: point, TEND_FAULT_SKIP: '0' },
  });
}

describe('the state an older Tend kept in the data folder', () => {
  it('moves into the state folder at the first start, and leaves the folder clean', async () => {
    const { root, state, journal } = await folderWithOldState();
    const folder = filesOf(root);
    const engine = await Engine.start({ appStateDir: state, root });
    await engine.close();
    await expectMoved(root, state, journal);
    // The person's files are as they were; only `.tend/` left (its set-aside file stayed).
    const after = filesOf(root);
    for (const [name, bytes] of Object.entries(folder)) {
      if (!name.startsWith('.tend/')) expect(after[name], name).toBe(bytes);
    }
    expect(fs.existsSync(path.join(stateOfRoot(state, root).dir, MIGRATION_MARKER))).toBe(true);
  });

  it.each(['state:before-copy', 'state:after-copy'])(
    'killed at %s: the old state is untouched, and the next start moves it',
    { timeout: 120_000 },
    async (point) => {
      const { root, oldDir, state, journal } = await folderWithOldState();
      const before = filesOf(oldDir);
      const killed = tendInfo(root, state, point);
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      // What was copied is not committed: the state folder is not there yet.
      expect(fs.existsSync(stateOfRoot(state, root).dir)).toBe(false);
      const left = filesOf(oldDir);
      delete before['legacy-migration/set-aside/m1/uploads/old.txt'];
      expect(left).toEqual(before);
      const next = tendInfo(root, state);
      expect(next.status, next.stderr).toBe(0);
      await expectMoved(root, state, journal);
    },
  );

  it(
    'killed after its commit: the next start only removes the old folder',
    { timeout: 120_000 },
    async () => {
      const { root, state, journal } = await folderWithOldState();
      const killed = tendInfo(root, state, 'state:after-commit');
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      const moved = stateOfRoot(state, root);
      expect(fs.existsSync(path.join(moved.dir, MIGRATION_MARKER))).toBe(true);
      expect(fs.existsSync(path.join(root, '.tend'))).toBe(true);
      const committed = filesOf(moved.dir);
      const next = tendInfo(root, state);
      expect(next.status, next.stderr).toBe(0);
      await expectMoved(root, state, journal);
      // Nothing was copied again over what was committed.
      const now = filesOf(moved.dir);
      expect(now[MIGRATION_MARKER]).toBe(committed[MIGRATION_MARKER]);
    },
  );

  it('refuses while an older Tend still works in the folder, and moves nothing', async () => {
    const { root, oldDir, state } = await folderWithOldState();
    fs.mkdirSync(path.join(oldDir, 'locks/data.lock'), { recursive: true });
    const before = filesOf(root);
    await expect(Engine.start({ appStateDir: state, root })).rejects.toMatchObject({
      code: 'DATA_LOCKED',
      message: expect.stringMatching(/Another Tend is working in this data folder/),
    });
    expect(filesOf(root)).toEqual(before);
  });

  it("leaves a `.tend` that is not a folder alone: it is somebody else's", async () => {
    const base = tempDir();
    const root = path.join(base, 'assistant');
    writeFile(path.join(root, '.tend'), 'a file of the assistant');
    expect(await migrateRootState(root, path.join(base, 'state'), null)).toBe('none');
    expect(fs.readFileSync(path.join(root, '.tend'), 'utf8')).toBe('a file of the assistant');
  });
});
