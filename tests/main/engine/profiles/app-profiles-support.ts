/**
 * What the app profiles' tests share: a demo root of a profile written and opened by a real
 * engine with a backup destination beside it, backups and restores through the engine's
 * channels, an exact fingerprint of the root, and the findings of a profile's stores.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import type { RestoreReport } from '../../../../src-shared/models/restore';
import { Engine } from '../../../../src-main/engine/engine';
import { postgresAppDemo } from '../../../../src-main/engine/profiles/postgres-app/postgres-app-demo';
import type { InstanceCheck, Profile } from '../../../../src-main/engine/profiles/profile';
import { withReadOnlyDatabase } from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import type { StoreFinding } from '../../../../src-main/engine/stores/store-finding';
import { tempDir } from '../../../support/temp-dir';
import { exactFingerprint } from '../restore/support/exact-tree';

/** A demo root of a profile behind a real engine. */
export interface AppDemo {
  readonly base: string;
  readonly root: string;
  readonly backups: string;
  readonly engine: Engine;
}

/**
 * A spec's way to its profile's demo: each call writes one (appDemo), and the engine of the
 * last one is closed after each test.
 */
export function appDemoPerTest(profile: string): () => Promise<AppDemo> {
  let demo: AppDemo | null = null;
  afterEach(async () => {
    await demo?.engine.close();
    demo = null;
  });
  return async () => {
    demo = await appDemo(profile);
    return demo;
  };
}

/** Writes the demo of `profile` with a real engine (demo:generate) and sets a destination. */
export async function appDemo(profile: string, seed = 1): Promise<AppDemo> {
  const base = tempDir(`tend-${profile}-`);
  const root = path.join(base, 'root');
  const backups = path.join(base, 'backups');
  fs.mkdirSync(backups);
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  const job = await engine.call('demo:generate', { path: root, size: 'small', seed, profile });
  const done = await engine.requireSession().jobs.wait(job.id);
  expect(done.error, JSON.stringify(done.error)).toBeNull();
  const settings = await engine.call('settings:get');
  await engine.call('settings:set', {
    settings: { ...settings, backup: { ...settings.backup, destination: backups } },
  });
  return { base, root, backups, engine };
}

/** A backup through `backups:create`. */
export async function backUp(
  engine: Engine,
  kind: 'critical' | 'full' = 'full',
): Promise<BackupRecord> {
  const session = engine.requireSession();
  const done = await session.jobs.wait((await engine.call('backups:create', { kind })).id);
  expect(done.error, JSON.stringify(done.error)).toBeNull();
  return done.result as BackupRecord;
}

/** A restore through `restore:apply`. */
export async function restore(
  engine: Engine,
  backup: string,
  scope: Record<string, unknown> = { kind: 'everything' },
): Promise<RestoreReport> {
  const session = engine.requireSession();
  const done = await session.jobs.wait((await engine.call('restore:apply', { backup, scope })).id);
  expect(done.error, JSON.stringify(done.error)).toBeNull();
  return done.result as RestoreReport;
}

/** The schema and every row of a SQLite database, as one hash. */
export function databaseContent(file: string): string {
  return withReadOnlyDatabase(file, (db) => {
    const hash = createHash('sha256');
    const tables = db
      .prepare('SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name')
      .all() as Array<{ name: string; sql: string }>;
    for (const table of tables) {
      hash.update(`${table.name}\n${table.sql}\n`);
      if (!/^CREATE TABLE/i.test(table.sql) || /^CREATE VIRTUAL/i.test(table.sql)) continue;
      for (const row of db.prepare(`SELECT * FROM "${table.name.replaceAll('"', '""')}"`).all())
        hash.update(
          `${JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('hex') : value))}\n`,
        );
    }
    return hash.digest('hex');
  });
}

function isDatabase(file: string): boolean {
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    return (
      fs.readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0'
    );
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Every entry of a root, exactly (Tend's own `.tend/` left out): type, name, mode, size, time
 * and content. A SQLite database is captured through the online backup API, which writes its
 * own header counters, so its content is its schema and rows.
 */
export function fingerprint(root: string): string[] {
  return exactFingerprint(root).map((line) => {
    const match = /^f (\S+) .* ([0-9a-f]{64})$/.exec(line);
    if (!match || !isDatabase(path.join(root, match[1]!))) return line;
    return `${line.slice(0, -64)}rows:${databaseContent(path.join(root, match[1]!))}`;
  });
}

/** The checks of every instance of one store of a profile in `root`, by instance path. */
export async function storeChecks(
  profile: Profile,
  root: string,
  storeId: string,
): Promise<Map<string, InstanceCheck>> {
  const store = profile.stores.find((candidate) => candidate.id === storeId);
  if (!store) throw new Error(`${profile.id} has no store ${storeId}`);
  const checks = new Map<string, InstanceCheck>();
  for (const instance of await store.instances(root)) {
    checks.set(instance.path, await instance.validate());
  }
  return checks;
}

/** Every finding of one store of a profile in `root`. */
export async function storeFindings(
  profile: Profile,
  root: string,
  storeId: string,
): Promise<StoreFinding[]> {
  return [...(await storeChecks(profile, root, storeId)).values()].flatMap((check) => [
    ...check.findings,
  ]);
}

/** A folder like a home folder: dot files, documents, no assistant's data. */
export function homeLikeFolder(): string {
  const home = tempDir('tend-home-');
  fs.writeFileSync(path.join(home, '.bashrc'), 'export PATH=$PATH:~/bin\n');
  for (const folder of ['Documents', 'Downloads', '.config/autostart', '.cache', '.local/share']) {
    fs.mkdirSync(path.join(home, folder), { recursive: true });
  }
  fs.writeFileSync(path.join(home, 'Documents/notes.txt'), 'shopping list\n');
  return home;
}

/**
 * Runs a process named `name` (a copy of sleep) until `work` is done: the app seen running by
 * its process name, as the system lists it.
 */
export async function whileRunning<T>(name: string, work: () => Promise<T>): Promise<T> {
  const program = path.join(tempDir('tend-app-'), name);
  fs.copyFileSync('/bin/sleep', program);
  fs.chmodSync(program, 0o755);
  const child = spawn(program, ['60'], { stdio: 'ignore' });
  try {
    // /proc/<pid>/comm names the program once exec has happened.
    for (let i = 0; i < 100; i++) {
      const comm = fs.readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim();
      if (comm === name.slice(0, 15)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return await work();
  } finally {
    child.kill('SIGKILL');
  }
}

/** A postgres-app demo folder (seed 003's bot, small, seed 1) and an empty backup folder, in a new temp folder. */
export async function postgresAppFolder(): Promise<{ base: string; root: string; dest: string }> {
  const base = tempDir();
  const root = path.join(base, 'bot');
  const dest = path.join(base, 'dest');
  fs.mkdirSync(root);
  fs.mkdirSync(dest);
  await postgresAppDemo.write({
    root,
    size: 'small',
    seed: 1,
    signal: new AbortController().signal,
    onProgress: () => {},
  });
  return { base, root, dest };
}
