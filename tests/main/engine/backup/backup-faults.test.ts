import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  BackupManifestSchema,
  MANIFEST_ENTRY,
} from '../../../../src-shared/models/backup-manifest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import {
  BackupService,
  type BackupFaults,
} from '../../../../src-main/engine/backup/backup-service';
import { backupSchedules } from '../../../../src-main/engine/backup/backup-schedules';
import { Engine } from '../../../../src-main/engine/engine';
import { backupFixture, gnuExtract } from './backup-fixture';

const repo = path.resolve(__dirname, '../../../..');
const tendBin = path.join(repo, 'bin/tend.mjs');

type Fixture = Awaited<ReturnType<typeof backupFixture>>;

function serviceWith(fixture: Fixture, faults: BackupFaults): BackupService {
  return new BackupService(fixture.engine.requireSession(), fixture.engine, faults);
}

async function run(service: BackupService, fixture: Fixture, kind: 'critical' | 'full' = 'full') {
  const job = service.start({ kind });
  return fixture.engine.requireSession().jobs.wait(job.id);
}

function manifestOf(archive: string, into: string) {
  const out = gnuExtract(archive, into);
  return {
    out,
    manifest: BackupManifestSchema.parse(
      JSON.parse(fs.readFileSync(path.join(out, MANIFEST_ENTRY), 'utf8')),
    ),
  };
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function tend(args: string[], stateDir: string): ChildProcess {
  return spawn(process.execPath, [tendBin, ...args], {
    env: { ...process.env, TEND_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** Pseudo-text: compresses like prose, so writing it takes a while at level 6. */
function prose(bytes: number, seed: number): Buffer {
  const words = ['assistant', 'memory', 'index', 'vector', 'backup', 'restore', 'local', 'data'];
  const parts: string[] = [];
  let size = 0;
  let state = seed;
  while (size < bytes) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const word = `${words[state % words.length]}${state % 9973} `;
    parts.push(word);
    size += word.length;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

describe('backup faults', () => {
  it('survives SIGKILL at several random points: nothing half-written counts, earlier archives untouched', async () => {
    const fixture = await backupFixture();
    const { engine, root, destination, base } = fixture;
    // Enough prose that writing takes a good part of a second.
    fs.writeFileSync(
      path.join(root, 'local_data/internal_assistant/documents/notes/big.txt'),
      prose(24 * 1024 * 1024, 7),
    );
    const first = await engine
      .requireSession()
      .jobs.wait((await engine.call('backups:create', { kind: 'critical' })).id);
    const earlier = first.result as BackupRecord;
    await engine.close();
    const earlierFiles = fs.readdirSync(destination).map((name) => ({
      name,
      hash: sha256(path.join(destination, name)),
    }));
    const state = path.join(base, 'state');

    const delays = [0, Math.floor(Math.random() * 250), Math.floor(Math.random() * 600)];
    const outcomes: string[] = [];
    for (const delay of delays) {
      const child = tend(['backup', 'create', '--root', root, '--kind', 'full'], state);
      const ended = exited(child);
      // Wait for the archive to start, then let it run a random while before the kill.
      let alive = true;
      void ended.then(() => (alive = false));
      while (alive && !fs.readdirSync(destination).some((name) => name.endsWith('.partial'))) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await ended;

      // The next start cleans up.
      const list = tend(['backup', 'list', '--root', root, '--json'], state);
      let stdout = '';
      list.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      expect(await exited(list)).toBe(0);
      const history = JSON.parse(stdout) as BackupRecord[];
      expect(fs.readdirSync(destination).filter((name) => name.endsWith('.partial'))).toEqual([]);
      expect(history.filter((record) => record.state === 'running')).toEqual([]);
      const newest = history[0]!;
      outcomes.push(newest.state);
      if (newest.id !== earlier.id) {
        expect(['interrupted', 'completed']).toContain(newest.state);
        const names = fs.readdirSync(destination);
        // An interrupted backup leaves no file; a completed one has both of its files.
        expect(names.includes(newest.fileName)).toBe(newest.state === 'completed');
      }
      for (const { name, hash } of earlierFiles) {
        expect(sha256(path.join(destination, name))).toBe(hash);
      }
    }
    // The first kill comes as soon as the archive appears, so at least that one is cut off.
    expect(outcomes[0]).toBe('interrupted');
  }, 120_000);

  it('fails fast when the destination has no room, naming it, and leaves nothing behind', async () => {
    const fixture = await backupFixture();
    const service = serviceWith(fixture, { freeSpace: async () => 1024 });
    const ended = await run(service, fixture);
    expect(ended.state).toBe('failed');
    expect(ended.error?.code).toBe('NO_SPACE');
    expect(ended.error?.message).toContain(fixture.destination);
    expect(ended.error?.message).toMatch(
      /may need up to .* MiB \(with a margin of 64 MiB\) and 1 KiB is free/,
    );
    expect(fs.readdirSync(fixture.destination)).toEqual([]);
    await fixture.engine.close();
  });

  it('stops on a real write error (a full device) and removes the partial file', async () => {
    const fixture = await backupFixture();
    const service = serviceWith(fixture, {
      openOutput: async (file) => {
        fs.writeFileSync(file, '');
        // Linux's /dev/full fails every write with ENOSPC, as a full disk does.
        return fs.promises.open('/dev/full', 'w');
      },
    });
    const ended = await run(service, fixture);
    expect(ended.error).toMatchObject({ code: 'NO_SPACE' });
    expect(ended.error?.message).toContain(fixture.destination);
    expect(fs.readdirSync(fixture.destination)).toEqual([]);
    expect(service.list()[0]).toMatchObject({ state: 'failed', error: { code: 'NO_SPACE' } });
    await fixture.engine.close();
  });

  it('fails on an unreadable file, or completes with it listed, by the setting', async () => {
    const fixture = await backupFixture();
    const { engine, files } = fixture;
    const refusing: BackupFaults = {
      openSource: async (file) => {
        if (file.endsWith(files.document)) {
          throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), {
            code: 'EACCES',
          });
        }
        return fs.promises.open(file, 'r');
      },
    };
    const failed = await run(serviceWith(fixture, refusing), fixture);
    expect(failed.error).toMatchObject({ code: 'FILE_UNREADABLE' });
    expect(failed.error?.message).toContain(files.document);
    expect(fs.readdirSync(fixture.destination)).toEqual([]);

    const settings = await engine.call('settings:get');
    await engine.call('settings:set', {
      settings: { ...settings, backup: { ...settings.backup, unreadableFiles: 'warn' } },
    });
    const warned = await run(serviceWith(fixture, refusing), fixture);
    expect(warned.state).toBe('succeeded');
    const record = warned.result as BackupRecord;
    expect(record.warnings).toContainEqual({
      path: files.document,
      message: expect.stringContaining('EACCES'),
    });
    // The FIFO is listed too: nothing is left out silently.
    expect(record.warnings).toContainEqual({
      path: files.fifo,
      message: expect.stringContaining('not a regular file'),
    });
    const { manifest } = manifestOf(
      path.join(record.destination, record.fileName),
      path.join(fixture.base, 'out'),
    );
    expect(manifest.entries.map((entry) => entry.path)).not.toContain(files.document);
    // The manifest says what it left out, so a restore keeps those files as they are.
    expect(manifest.warnings).toHaveLength(2);
    expect(manifest.leftOut?.map((item) => item.path).sort()).toEqual(
      [files.document, files.fifo].sort(),
    );
    await engine.close();
  });

  it('records the hash of the bytes archived when a file changes or shrinks while read', async () => {
    const fixture = await backupFixture();
    const { root, base } = fixture;
    const growing = 'local_data/internal_assistant/documents/notes/changing.bin';
    const shrinking = 'local_data/internal_assistant/documents/notes/shrinking.bin';
    fs.writeFileSync(path.join(root, growing), randomBytes(4 * 1024 * 1024));
    fs.writeFileSync(path.join(root, shrinking), randomBytes(3 * 1024 * 1024));
    let writer: NodeJS.Timeout | null = null;
    const service = serviceWith(fixture, {
      openSource: async (file) => {
        const handle = await fs.promises.open(file, 'r');
        if (file.endsWith(growing)) {
          // Another process keeps rewriting the file while Tend reads it.
          const fd = fs.openSync(file, 'r+');
          writer = setInterval(() => {
            fs.writeSync(fd, randomBytes(64 * 1024), 0, 64 * 1024, Math.floor(Math.random() * 4e6));
          }, 0);
          const close = handle.close.bind(handle);
          handle.close = async () => {
            clearInterval(writer!);
            fs.closeSync(fd);
            return close();
          };
        }
        if (file.endsWith(shrinking)) {
          // Cut short by another process after Tend has read its first chunk.
          const read = handle.read.bind(handle) as typeof handle.read;
          let first = true;
          handle.read = (async (...args: Parameters<typeof handle.read>) => {
            const result = await read(...args);
            if (first) fs.truncateSync(file, 1024 * 1024 + 5);
            first = false;
            return result;
          }) as typeof handle.read;
        }
        return handle;
      },
    });
    const ended = await run(service, fixture);
    expect(ended.state).toBe('succeeded');
    const record = ended.result as BackupRecord;
    const { out, manifest } = manifestOf(
      path.join(record.destination, record.fileName),
      path.join(base, 'out'),
    );
    for (const changed of [growing, shrinking]) {
      const entry = manifest.entries.find((item) => item.path === changed);
      expect(entry?.type).toBe('file');
      expect(entry && 'sha256' in entry && entry.sha256).toBe(sha256(path.join(out, changed)));
    }
    // The shrunk file keeps the size its header promised: the bytes read, then zeros.
    const shrunk = fs.readFileSync(path.join(out, shrinking));
    expect(shrunk.length).toBe(3 * 1024 * 1024);
    expect(shrunk.subarray(2 * 1024 * 1024).every((byte) => byte === 0)).toBe(true);
    const warned = record.warnings.map((warning) => warning.path);
    expect(warned).toContain(growing);
    expect(warned).toContain(shrinking);
    await fixture.engine.close();
  });

  it('snapshots assistant.db consistently while another process inserts rows in pairs', async () => {
    const fixture = await backupFixture();
    const { root, files, base } = fixture;
    const dbFile = path.join(root, files.db);
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(dbFile)});
      db.pragma('busy_timeout = 5000');
      const insert = db.prepare("INSERT INTO memories (id, kind, content, created_at, updated_at) VALUES (?, 'pair', ?, 'now', 'now')");
      const pair = db.transaction((n) => { insert.run('a' + n, 'x'.repeat(3000)); insert.run('b' + n, 'y'.repeat(3000)); });
      let n = 0;
      for (;;) { pair(n++); if (n === 200) process.stdout.write('ready\\n'); }
    `;
    const writer = spawn(process.execPath, ['-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      writer.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      }),
    );
    try {
      for (let round = 0; round < 3; round += 1) {
        const ended = await fixture.engine
          .requireSession()
          .jobs.wait((await fixture.engine.call('backups:create', { kind: 'critical' })).id);
        expect(ended.state).toBe('succeeded');
        const record = ended.result as BackupRecord;
        const { out } = manifestOf(
          path.join(record.destination, record.fileName),
          path.join(base, `out-${round}`),
        );
        const snapshot = new Database(path.join(out, files.db), { readonly: true });
        expect(snapshot.pragma('integrity_check', { simple: true })).toBe('ok');
        const { n } = snapshot
          .prepare("SELECT count(*) AS n FROM memories WHERE kind = 'pair'")
          .get() as { n: number };
        expect(n).toBeGreaterThanOrEqual(400);
        expect(n % 2).toBe(0);
        snapshot.close();
      }
    } finally {
      writer.kill('SIGKILL');
    }
    await fixture.engine.close();
  }, 60_000);

  it('runs one backup at a time: a second request, from the tray or a schedule, is refused', async () => {
    const fixture = await backupFixture();
    const { engine } = fixture;
    const session = engine.requireSession();
    const first = await engine.call('backups:create', { kind: 'full' });
    const second = await engine.dispatch('backups:create', { kind: 'critical' });
    expect(second).toMatchObject({ ok: false, error: { code: 'BACKUP_RUNNING' } });
    // The schedule's run finds the backup running and skips instead of failing.
    const settings = await engine.call('settings:get');
    const entries = backupSchedules(session, engine, settings);
    expect(await entries.find((entry) => entry.id === 'backup:daily-critical')!.run()).toBeNull();
    expect((await session.jobs.wait(first.id)).state).toBe('succeeded');
    // Once it has ended, the next one runs.
    const third = await engine.call('backups:create', { kind: 'critical' });
    expect((await session.jobs.wait(third.id)).state).toBe('succeeded');
    expect((await engine.call('backups:list')).backups).toHaveLength(2);
    await engine.close();
  });

  it('refuses a backup from a second process while this one holds the data lock', async () => {
    const fixture = await backupFixture();
    const { engine, root, base } = fixture;
    fs.writeFileSync(
      path.join(root, 'local_data/internal_assistant/documents/notes/big.txt'),
      prose(30 * 1024 * 1024, 3),
    );
    const job = await engine.call('backups:create', { kind: 'critical' });
    // Another Tend of the same user (its state where this engine's is) on the same folder.
    const other = tend(['backup', 'create', '--root', root], path.join(base, 'state'));
    let stderr = '';
    other.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await exited(other);
    const ours = await engine.requireSession().jobs.wait(job.id);
    expect(ours.state).toBe('succeeded');
    // Either it found the lock taken (exit 4) or ours had already finished and it ran.
    if (code !== 0) {
      expect(code).toBe(4);
      expect(stderr).toContain('DATA_LOCKED');
    }
    await engine.close();
    const again = await Engine.start({ appStateDir: path.join(base, 'state'), root });
    expect((await again.call('backups:list')).backups.every((b) => b.state !== 'running')).toBe(
      true,
    );
    await again.close();
  }, 60_000);
});
