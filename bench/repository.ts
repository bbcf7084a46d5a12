/**
 * Repositories (issue 12): Tend's restic-compatible repository against `tar czf` and restic on
 * the same demo root, in the same run, alternating A B A B and keeping medians:
 * - first backup into an empty repository vs `tar czf` of the same files;
 * - a second backup with nothing changed vs `tar czf`;
 * - a day of scattered updates to assistant.db (500 updates, 200 deletes, 1,000 inserts): bytes
 *   each repository grew by, against the database's size, Tend beside restic.
 *
 * Not yet wired into bench/suites.ts (the lead adds the line when the repository is wired in):
 * run it alone with `npx tsx bench/repository.ts [small|medium]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DemoSize } from '../src-shared/models/demo';
import { LocalBackend } from '../src-main/engine/repository/local-backend';
import { Repository } from '../src-main/engine/repository/repository';
import { backupSnapshot } from '../src-main/engine/repository/snapshot-backup';
import type { BenchSuite } from './suites';
import { demoRoot, log, ratio, round, scratchDir, timeCommand, timeIt } from './support';

const PASSWORD = 'bench passphrase';
const KDF = { N: 1024, r: 8, p: 1 };
const DB = 'local_data/internal_assistant/assistant.db';

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function folderBytes(folder: string): number {
  return Number(execFileSync('du', ['-sb', folder], { encoding: 'utf8' }).split('\t')[0]);
}

function hasRestic(): boolean {
  return spawnSync('restic', ['version']).status === 0;
}

function restic(repo: string, args: ReadonlyArray<string>, cwd?: string): void {
  execFileSync('restic', ['-r', repo, '--no-cache', '-q', ...args], {
    cwd,
    env: { ...process.env, RESTIC_PASSWORD: PASSWORD },
    stdio: 'ignore',
  });
}

/** A day of scattered changes to the assistant's store: 500 updates, 200 deletes, 1,000 inserts. */
export function scatteredDay(file: string, seed = 1): void {
  const db = new Database(file);
  let x = seed;
  const next = (limit: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % limit;
  };
  const table = 'interactions';
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{
    name: string;
    type: string;
    pk: number;
  }>;
  const text = columns.find((column) => column.type.toUpperCase() === 'TEXT' && !column.pk)!.name;
  const copy = columns
    .filter((column) => !column.pk)
    .map((column) => column.name)
    .join(', ');
  const ids = (db.prepare(`SELECT rowid AS id FROM ${table}`).all() as Array<{ id: number }>).map(
    (row) => row.id,
  );
  db.transaction(() => {
    for (let i = 0; i < 500; i++)
      db.prepare(`UPDATE ${table} SET ${text} = ${text} || ' (edited)' WHERE rowid = ?`).run(
        ids[next(ids.length)],
      );
    for (let i = 0; i < 200; i++)
      db.prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(ids[next(ids.length)]);
    for (let i = 0; i < 1000; i++) {
      db.prepare(
        `INSERT INTO ${table} (${copy}) SELECT ${copy} FROM ${table} WHERE rowid = (SELECT max(rowid) FROM ${table}) - ?`,
      ).run(next(500));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The repository suite. */
export const repositorySuite: BenchSuite = {
  description:
    'repository: first and unchanged backups vs tar czf; bytes added by a day of SQLite updates, Tend vs restic',
  async run() {
    const size = (process.argv.find((arg) => ['small', 'medium', 'large'].includes(arg)) ??
      'medium') as DemoSize;
    const source = await demoRoot(size);
    const work = scratchDir('repository');
    const root = path.join(work, 'root');
    execFileSync('cp', ['-a', source, root]);
    fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
    const tarFile = path.join(work, 'root.tar.gz');
    const tar = () => timeCommand('tar', ['czf', tarFile, '.'], { cwd: root });

    const rounds = 2;
    const tarFirst: number[] = [];
    const tendFirst: number[] = [];
    const tendSecond: number[] = [];
    let repositoryBytes = 0;
    for (let i = 0; i < rounds; i++) {
      log(`round ${i + 1}: tar czf`);
      tarFirst.push((await tar()).seconds);
      const repoDir = path.join(work, `repo-${i}`);
      fs.rmSync(repoDir, { recursive: true, force: true });
      const repository = await Repository.init(new LocalBackend(repoDir), PASSWORD, { kdf: KDF });
      log(`round ${i + 1}: first Tend backup`);
      tendFirst.push(
        (await timeIt(() => backupSnapshot(repository, { root, stagingDir: work }))).seconds,
      );
      log(`round ${i + 1}: unchanged Tend backup`);
      tendSecond.push(
        (await timeIt(() => backupSnapshot(repository, { root, stagingDir: work }))).seconds,
      );
      repositoryBytes = folderBytes(repoDir);
    }
    const tarSeconds = median(tarFirst);

    // A day of scattered updates: what each repository grows by.
    const dbBytes = fs.statSync(path.join(root, DB)).size;
    const ours = path.join(work, 'day-tend');
    fs.rmSync(ours, { recursive: true, force: true });
    const repository = await Repository.init(new LocalBackend(ours), PASSWORD, { kdf: KDF });
    await backupSnapshot(repository, { root, stagingDir: work });
    const resticRepo = path.join(work, 'day-restic');
    const withRestic = hasRestic();
    if (withRestic) {
      fs.rmSync(resticRepo, { recursive: true, force: true });
      restic(resticRepo, ['init']);
      restic(resticRepo, ['backup', '.'], root);
    }
    const oursBefore = folderBytes(ours);
    const theirsBefore = withRestic ? folderBytes(resticRepo) : 0;
    log('a day of scattered updates to assistant.db');
    scatteredDay(path.join(root, DB));
    await backupSnapshot(repository, { root, stagingDir: work });
    if (withRestic) restic(resticRepo, ['backup', '.'], root);
    const oursAdded = folderBytes(ours) - oursBefore;
    const theirsAdded = withRestic ? folderBytes(resticRepo) - theirsBefore : null;

    return {
      demo: size,
      tarCzfSeconds: round(tarSeconds),
      firstBackupSeconds: round(median(tendFirst)),
      firstBackupRatio: ratio(median(tendFirst), tarSeconds),
      unchangedBackupSeconds: round(median(tendSecond)),
      unchangedBackupRatio: ratio(median(tendSecond), tarSeconds),
      repositoryBytes,
      tarGzBytes: fs.statSync(tarFile).size,
      sqliteDay: {
        databaseBytes: dbBytes,
        tendAddedBytes: oursAdded,
        tendAddedShare: ratio(oursAdded, dbBytes),
        resticAddedBytes: theirsAdded,
        resticAddedShare: theirsAdded === null ? null : ratio(theirsAdded, dbBytes),
      },
      rounds,
      note: 'alternating tar and Tend per round; medians of the rounds; restic 0.14 for the SQLite day',
    };
  },
};

if (process.argv[1]?.endsWith('repository.ts')) {
  void repositorySuite
    .run()
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`));
}
