/**
 * Repositories (issue 12): Tend's restic-compatible repository against `tar czf` and restic on
 * the same demo root, in the same run, by turns (tar, then Tend; a warm-up pair, then three),
 * each ratio the median of the pairs' ratios with their range:
 * - first backup into an empty repository vs `tar czf` of the same files;
 * - a second backup with nothing changed vs the same `tar czf` run;
 * - a day of scattered updates to assistant.db (500 updates, 200 deletes, 1,000 inserts): bytes
 *   each repository grew by, against the database's size, Tend beside restic.
 *
 * `npm run bench -- --only repository` runs it on the medium demo; alone,
 * `npx tsx bench/repository.ts [small|medium]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DemoSize } from '../src-shared/models/demo';
import { LocalBackend } from '../src-main/engine/repository/local-backend';
import { Repository } from '../src-main/engine/repository/repository';
import { backupSnapshot } from '../src-main/engine/repository/snapshot-backup';
import { alternate, compared } from './pairs';
import type { BenchSuite } from './suites';
import { demoRoot, log, ratio, round, scratchDir, timeCommand, timeIt } from './support';

const PASSWORD = 'bench passphrase';
const KDF = { N: 1024, r: 8, p: 1 };
const DB = 'local_data/internal_assistant/assistant.db';

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

    let repositoryBytes = 0;
    const rounds = await alternate({
      label: 'repository backups',
      standard: async () => (await tar()).seconds,
      tend: async (run) => {
        const repoDir = path.join(work, `repo-${run}`);
        fs.rmSync(repoDir, { recursive: true, force: true });
        const repository = await Repository.init(new LocalBackend(repoDir), PASSWORD, {
          kdf: KDF,
        });
        const first = await timeIt(() => backupSnapshot(repository, { root, stagingDir: work }));
        const unchanged = await timeIt(() =>
          backupSnapshot(repository, { root, stagingDir: work }),
        );
        repositoryBytes = folderBytes(repoDir);
        fs.rmSync(repoDir, { recursive: true, force: true });
        return { first: first.seconds, unchanged: unchanged.seconds };
      },
      describe: (tend, tar) =>
        `first ${round(tend.first)} s, unchanged ${round(tend.unchanged)} s, tar czf ${round(tar)} s`,
    });

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
      firstBackup: compared(
        rounds.tend.map((run) => run.first),
        rounds.standard,
        0.3,
      ),
      unchangedBackup: compared(
        rounds.tend.map((run) => run.unchanged),
        rounds.standard,
        0.05,
      ),
      repositoryBytes,
      tarGzBytes: fs.statSync(tarFile).size,
      sqliteDay: {
        databaseBytes: dbBytes,
        tendAddedBytes: oursAdded,
        tendAddedShare: ratio(oursAdded, dbBytes),
        resticAddedBytes: theirsAdded,
        resticAddedShare: theirsAdded === null ? null : ratio(theirsAdded, dbBytes),
      },
      note: 'tar czf then Tend, by turns; ratios pair by pair; restic 0.14 for the SQLite day',
    };
  },
};

if (process.argv[1]?.endsWith('repository.ts')) {
  void repositorySuite
    .run()
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`));
}
