import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../support/temp-dir';
import {
  clusteredVectors,
  importLines,
  indexFile,
  rng,
  writeJsonl,
} from '../../engine/vectors/vectors-fixtures';
import { isWalFile } from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import { tend } from '../../../support/run-tend';

const repo = path.resolve(__dirname, '../../../..');

/** Runs the real `tend` in a child process: a crash there shows as a signal, not a dead test. */
function tendProcess(args: ReadonlyArray<string>, state: string) {
  return spawnSync(process.execPath, [path.join(repo, 'bin/tend.mjs'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, TEND_STATE_DIR: state },
  });
}

/** Random bytes over every level-0 link list of an index, keeping its size. */
function scrambleLinks(file: string) {
  const bytes = fs.readFileSync(file);
  const per = Number(bytes.readBigUInt64LE(24));
  const count = Number(bytes.readBigUInt64LE(16));
  const linkBytes = Number(bytes.readBigUInt64LE(64)) * 4;
  const random = rng(11);
  for (let e = 0; e < count; e++) {
    for (let k = 4; k < 4 + linkBytes; k++) bytes[96 + e * per + k] = Math.floor(random() * 256);
  }
  fs.writeFileSync(file, bytes);
}

describe('tend vectors on a folder that keeps no collections of Tend’s', () => {
  it('says so and where its stores are checked, not "No collections yet."', async () => {
    const base = tempDir();
    const root = path.join(base, 'jan');
    expect((await tend(['demo', '--profile', 'jan', '--root', root], base)).code).toBe(0);
    const listed = await tend(['vectors', 'collections', '--root', root], base);
    expect([listed.code, listed.stdout]).toEqual([
      0,
      "A Jan folder keeps no collections of Tend's; tend profiles check checks its stores.\n",
    ]);
  });
});

describe('tend import and tend vectors', () => {
  it('imports, lists, searches, checks, compacts and keeps up a root from the command line', async () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    expect((await tend(['init', root], state)).code).toBe(0);
    const file = writeJsonl(path.join(base, 'in.jsonl'), importLines(clusteredVectors(60, 8)));
    const imported = await tend(['--root', root, 'import', 'notes', file, '--space', 'l2'], state);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toMatch(
      /Imported 60 chunks of 15 new documents into notes \(new collection\)/,
    );

    const listed = await tend(['--root', root, '--json', 'vectors', 'collections'], state);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: 'notes', space: 'l2', chunkCount: 60 }]);

    const search = await tend(
      ['--root', root, 'vectors', 'search', 'notes', '--chunk', '4', '-k', '3'],
      state,
    );
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/3 neighbours from the index/);
    expect(search.stdout).toMatch(/#4 /);

    const health = await tend(['--root', root, 'vectors', 'health'], state);
    expect(health.stdout).toMatch(/notes: ok/);
    expect(health.stdout).toMatch(/recall@10 is /);

    const compact = await tend(['--root', root, 'vectors', 'compact', 'notes'], state);
    expect(compact.stdout).toMatch(/Compacted notes: 60 vectors/);

    const upkeep = await tend(['--root', root, 'vectors', 'upkeep'], state);
    expect(upkeep.stdout).toMatch(/assistant .* integrity ok/);
  });

  it('exits non-zero with the line number of a bad line', async () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    await tend(['init', root], state);
    const file = writeJsonl(path.join(base, 'bad.jsonl'), ['{"document": "a", "text": "t"}']);
    const result = await tend(['--root', root, 'import', 'notes', file], state);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 1: the field "embedding" is missing \(IMPORT_INVALID\)/);
  });

  // Seven CLI processes one after the other: more than the default minute on a loaded machine.
  it('a corrupt but correctly sized index never crashes a search or a health check', () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    expect(tendProcess(['init', root], state).status).toBe(0);
    const vectors = clusteredVectors(300, 8);
    for (const name of ['alpha', 'beta']) {
      const file = writeJsonl(path.join(base, `${name}.jsonl`), importLines(vectors, name));
      expect(tendProcess(['--root', root, 'import', name, file], state).status).toBe(0);
    }
    scrambleLinks(indexFile(root, 'alpha'));

    const search = tendProcess(
      [
        '--root',
        root,
        '--json',
        'vectors',
        'search',
        'alpha',
        '--vector',
        JSON.stringify(vectors[5]),
      ],
      state,
    );
    expect(search.signal).toBeNull();
    expect(search.status, search.stderr).toBe(0);
    const result = JSON.parse(search.stdout);
    expect(result.source).toBe('exact');
    expect(result.hits[0].text).toBe('chunk 5 of alpha');
    // The rebuild the search started was waited for, not cancelled on exit.
    expect(search.stderr).toMatch(/The index of alpha is rebuilt/);
    const next = tendProcess(
      [
        '--root',
        root,
        '--json',
        'vectors',
        'search',
        'alpha',
        '--vector',
        JSON.stringify(vectors[5]),
      ],
      state,
    );
    expect(JSON.parse(next.stdout).source).toBe('index');

    scrambleLinks(indexFile(root, 'alpha'));
    const health = tendProcess(['--root', root, '--json', 'vectors', 'health'], state);
    expect(health.signal).toBeNull();
    expect(health.status, health.stderr).toBe(0);
    const reports = JSON.parse(health.stdout) as Array<{ collection: string; status: string }>;
    // The bad first collection does not stop the check of the second.
    expect(reports.map((r) => [r.collection, r.status])).toEqual([
      ['alpha', 'bad'],
      ['beta', 'ok'],
    ]);
    const healed = tendProcess(['--root', root, '--json', 'vectors', 'health', 'alpha'], state);
    expect(JSON.parse(healed.stdout)[0].status).toBe('ok');
  }, 240_000);

  it('a retry of an import killed between its commit and its index write adds nothing twice', () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    expect(tendProcess(['init', root], state).status).toBe(0);
    const file = writeJsonl(path.join(base, 'in.jsonl'), importLines(clusteredVectors(60, 8)));
    const killed = spawnSync(
      process.execPath,
      [path.join(repo, 'bin/tend.mjs'), '--root', root, 'import', 'notes', file],
      {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          TEND_STATE_DIR: state,
          TEND_FAULT_POINT: 'vectors:import-after-commit',
        },
      },
    );
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const retry = tendProcess(['--root', root, 'import', 'notes', file], state);
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(/Imported 0 chunks of 0 new documents/);
    expect(retry.stdout).toMatch(/15 documents \(60 chunks\) are already in the collection/);
    const listed = tendProcess(['--root', root, '--json', 'vectors', 'collections'], state);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { id: 'notes', chunkCount: 60, index: { count: 60 } },
    ]);
  });

  it('a delete that needs a compaction finishes it before the command ends', async () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    await tend(['init', root], state);
    const file = writeJsonl(path.join(base, 'in.jsonl'), importLines(clusteredVectors(1000, 4)));
    expect((await tend(['--root', root, 'import', 'notes', file], state)).code).toBe(0);
    const ids = Array.from({ length: 60 }, (_, i) => `doc-${i}`);
    const deleted = await tend(['--root', root, 'vectors', 'delete', 'notes', ...ids], state);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(/Deleted 60 documents, 240 chunks\. The index was compacted/);
    const listed = await tend(['--root', root, '--json', 'vectors', 'collections'], state);
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({
      chunkCount: 760,
      index: { count: 760, deletedCount: 0 },
      lastCompaction: { vectorsAfter: 760 },
    });
  });

  it('says which ids a delete does not know, and reads --vector files with a clear error', async () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    await tend(['init', root], state);
    const file = writeJsonl(path.join(base, 'in.jsonl'), importLines(clusteredVectors(8, 4)));
    await tend(['--root', root, 'import', 'notes', file], state);
    const unknown = await tend(['--root', root, 'vectors', 'delete', 'notes', 'ghost'], state);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /no document "ghost"; nothing was deleted.*\(DOCUMENT_NOT_FOUND\)/,
    );
    const missing = path.join(base, 'missing.json');
    const search = await tend(
      ['--root', root, 'vectors', 'search', 'notes', '--vector', `@${missing}`],
      state,
    );
    expect(search.code).toBe(2);
    expect(search.stderr).toMatch(
      new RegExp(`Cannot read the vector file ${missing}: it does not exist.*INVALID_INPUT`),
    );
    const huge = await tend(
      ['--root', root, 'vectors', 'search', 'notes', '--vector', '[1e39, 0, 0, 0]'],
      state,
    );
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/too large for a 32-bit float/);
    expect(huge.stdout).not.toMatch(/NaN/);
  });

  it('read-only commands keep the journal mode and leave no -wal or -shm behind', async () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    await tend(['init', root], state);
    const file = writeJsonl(path.join(base, 'in.jsonl'), importLines(clusteredVectors(20, 4)));
    await tend(['--root', root, 'import', 'notes', file], state);
    const dbFile = path.join(root, 'local_data/internal_assistant/assistant.db');
    const folder = () =>
      fs.readdirSync(path.dirname(dbFile)).filter((n) => n.startsWith('assistant.db'));
    // Read from the file's header: a connection of the test's own would leave files behind.
    const journalMode = () => (isWalFile(dbFile) ? 'wal' : 'delete');
    const reads = [
      ['vectors', 'collections'],
      ['vectors', 'search', 'notes', '--chunk', '1'],
      ['vectors', 'health'],
      ['migrate', 'plan'],
      ['archive', 'tiers'],
    ];
    // As Tend made it (WAL), and as an assistant in journal_mode=DELETE keeps it.
    for (const mode of ['wal', 'delete']) {
      const raw = new Database(dbFile);
      raw.pragma(`journal_mode = ${mode}`);
      raw.close();
      for (const args of reads) {
        const run = await tend(['--root', root, ...args], state);
        expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
        expect(folder(), args.join(' ')).toEqual(['assistant.db']);
        expect(journalMode(), args.join(' ')).toBe(mode);
      }
    }
    // A write keeps DELETE too.
    const more = writeJsonl(
      path.join(base, 'more.jsonl'),
      importLines(clusteredVectors(4, 4), 'x'),
    );
    expect((await tend(['--root', root, 'import', 'notes', more], state)).code).toBe(0);
    expect(journalMode()).toBe('delete');
  });
});
