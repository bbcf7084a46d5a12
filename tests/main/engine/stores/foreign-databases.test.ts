/**
 * Tend never changes another app's database (issue 10, redesign items 3 and 4): the checks,
 * the usage scan, a backup and a restore of an Open WebUI, AnythingLLM or Jan folder leave
 * every database's bytes and journal mode as they were, and the folder's listing without a
 * `-wal` or `-shm` it did not have, whether the app keeps its databases in rollback-journal
 * mode (as these apps do by default) or in WAL mode.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { profileById } from '../../../../src-main/engine/profiles/registry';
import { databaseImage } from '../../../../src-main/engine/repository/database-image';
import { appDemoPerTest, backUp, restore, storeChecks } from '../profiles/app-profiles-support';

/** Whether a database's header says WAL (bytes 18 and 19 are 2), read without SQLite. */
function isWalFile(file: string): boolean {
  const header = fs.readFileSync(file).subarray(18, 20);
  return header[0] === 2 && header[1] === 2;
}

/** Every path under `root` (Tend's state lives outside it), sorted. */
function listing(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).sort();
}

function databasesOf(root: string): string[] {
  return listing(root).filter((name) => /\.(db|sqlite3)$/.test(name));
}

/** Each database's SHA-256 and journal mode, by root-relative path. */
function databaseState(root: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of databasesOf(root)) {
    const file = path.join(root, name);
    const hash = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    state[name] = `${isWalFile(file) ? 'wal' : 'rollback'} ${hash}`;
  }
  return state;
}

/** Puts every database of the demo in WAL mode, as an app configured so would (tests only). */
function switchToWal(root: string): void {
  for (const name of databasesOf(root)) {
    const db = new Database(path.join(root, name));
    db.pragma('journal_mode = WAL');
    // The app's last close checkpoints and removes its -wal and -shm.
    db.close();
  }
}

const companions = (root: string) => listing(root).filter((name) => /-(wal|shm)$/.test(name));

const cases = [
  ['open-webui', 'rollback'],
  ['open-webui', 'wal'],
  ['anythingllm', 'rollback'],
  ['anythingllm', 'wal'],
  ['jan', 'rollback'],
  ['jan', 'wal'],
] as const;

describe('another app’s databases', () => {
  const demos = {
    'open-webui': appDemoPerTest('open-webui'),
    anythingllm: appDemoPerTest('anythingllm'),
    jan: appDemoPerTest('jan'),
  };

  it.each(cases)(
    '%s (%s journal): checks, usage and a backup leave bytes, mode and listing as they were',
    async (profileId, journal) => {
      const { root, engine } = await demos[profileId]();
      if (journal === 'wal') switchToWal(root);
      const before = { listing: listing(root), databases: databaseState(root) };
      expect(Object.keys(before.databases).length).toBeGreaterThan(0);
      expect(Object.values(before.databases).every((state) => state.startsWith(journal))).toBe(
        true,
      );

      const profile = profileById(profileId);
      for (const store of profile.stores) await storeChecks(profile, root, store.id);
      const session = engine.requireSession();
      const scan = await session.jobs.wait((await engine.call('usage:scan', { mode: 'full' })).id);
      expect(scan.error).toBeNull();
      await backUp(engine, 'full');

      expect({ listing: listing(root), databases: databaseState(root) }).toEqual(before);
    },
  );

  it.each(['rollback', 'wal'] as const)(
    'the repository’s in-memory image of a %s database leaves its bytes, mode and listing',
    async (journal) => {
      const { root } = await demos['open-webui']();
      if (journal === 'wal') switchToWal(root);
      const before = { listing: listing(root), databases: databaseState(root) };
      for (const name of databasesOf(root)) {
        const image = databaseImage(path.join(root, name), fs.statSync(path.join(root, name)).size);
        expect(image?.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
      }
      expect({ listing: listing(root), databases: databaseState(root) }).toEqual(before);
    },
  );

  it('a one-workspace restore of a WAL-mode anythingllm.db leaves no -wal or -shm behind', async () => {
    const { root, engine } = await demos.anythingllm();
    switchToWal(root);
    const backup = await backUp(engine, 'full');
    const db = new Database(path.join(root, 'anythingllm.db'));
    const slug = (db.prepare('SELECT slug FROM workspaces ORDER BY slug').get() as { slug: string })
      .slug;
    db.prepare(
      'DELETE FROM workspace_chats WHERE workspaceId = (SELECT id FROM workspaces WHERE slug = ?)',
    ).run(slug);
    db.close();
    expect(companions(root)).toEqual([]);

    const report = await restore(engine, backup.id, {
      kind: 'scope',
      scope: 'workspace',
      id: slug,
    });
    expect(
      report.checks.every((check) => check.ok),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(companions(root)).toEqual([]);
    expect(isWalFile(path.join(root, 'anythingllm.db'))).toBe(true);
  });
});
