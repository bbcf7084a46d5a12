import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';
import { RunDueReportSchema } from '../../../src-main/engine/schedule/run-due';
import { tempDir, writeFile } from '../../support/temp-dir';
import { tend } from '../../support/run-tend';
import { stateOfRoot } from '../../support/root-state';

const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

const DAY = 24 * 3600_000;

/** A root with a destination whose schedules were seen a day ago: the daily backup is owed. */
async function rootOwingABackup() {
  const base = tempDir();
  const root = path.join(base, 'root');
  const dest = path.join(base, 'dest');
  expect((await tend(['init', root], base)).code).toBe(0);
  writeFile(path.join(root, 'config/settings.yaml'), 'model: mini\n');
  expect(
    (await tend(['settings', 'set', '--root', root, `backup.destination="${dest}"`], base)).code,
  ).toBe(0);
  // Nothing is due the first time: the schedules start counting now.
  const first = await tend(['run-due', '--root', root], base);
  expect(first).toMatchObject({ code: 0, stdout: `Nothing was due for ${root}.\n` });
  const db = new Database(stateOfRoot(path.join(path.dirname(root), 'tend-state'), root).catalog);
  db.prepare(
    "UPDATE schedule_runs SET last_run_at = ? WHERE schedule_id = 'backup:daily-critical'",
  ).run(new Date(Date.now() - DAY).toISOString());
  db.close();
  return { base, root, dest };
}

const archives = (dest: string) =>
  fs.existsSync(dest) ? fs.readdirSync(dest).filter((name) => name.endsWith('.tar.gz')) : [];

function lastRun(root: string, id: string): string {
  const db = new Database(stateOfRoot(path.join(path.dirname(root), 'tend-state'), root).catalog, {
    readonly: true,
  });
  const row = db.prepare('SELECT last_run_at FROM schedule_runs WHERE schedule_id = ?').get(id) as {
    last_run_at: string;
  };
  db.close();
  return row.last_run_at;
}

describe('tend run-due', () => {
  it('runs what is owed, waits for it, records the pass, and exits 0; then nothing is due', async () => {
    const { base, root, dest } = await rootOwingABackup();
    const run = await tend(['run-due', '--root', root], base);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^backup:daily-critical\s+succeeded$/m);
    expect(archives(dest)).toHaveLength(1);
    const record = RunDueReportSchema.parse(
      JSON.parse(fs.readFileSync(stateOfRoot(path.join(base, 'tend-state'), root).runDue, 'utf8')),
    );
    expect(record).toMatchObject({ busy: false, exitCode: 0 });
    expect(record.runs[0]).toMatchObject({
      scheduleId: 'backup:daily-critical',
      state: 'succeeded',
    });

    const again = await tend(['run-due', '--root', root, '--json'], base);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).runs).toEqual([]);
    expect(archives(dest)).toHaveLength(1);
  });

  it('exits 4 (busy) while the open app holds the data lock, and leaves what is due owed', async () => {
    const { base, root, dest } = await rootOwingABackup();
    const before = lastRun(root, 'backup:daily-critical');
    // The open app is writing the folder (a backup, a restore …): it holds the data lock.
    // It keeps its state where the command's is (the same user's Tend).
    const app = await Engine.start({ appStateDir: path.join(base, 'tend-state'), root });
    engines.push(app);
    let release!: () => void;
    const holding = app.requireSession().jobs.start({
      kind: 'backup',
      title: 'Back up (critical)',
      writesRoot: true,
      run: () => new Promise<null>((resolve) => (release = () => resolve(null))),
    });
    await new Promise<void>((resolve) => {
      const off = app.events.on('job:progress', (job) => {
        if (job.id === holding.id && job.state === 'running') {
          off();
          resolve();
        }
      });
    });

    const busy = await tend(['run-due', '--root', root], base);
    expect(busy.code).toBe(4);
    expect(busy.stderr).toMatch(/Another Tend process .* \(DATA_LOCKED\)\n$/);
    expect(lastRun(root, 'backup:daily-critical')).toBe(before);
    expect(archives(dest)).toHaveLength(0);
    const record = JSON.parse(
      fs.readFileSync(stateOfRoot(path.join(base, 'tend-state'), root).runDue, 'utf8'),
    );
    expect(record).toMatchObject({ busy: true, exitCode: 4 });

    release();
    await app.requireSession().jobs.wait(holding.id);
    const ran = await tend(['run-due', '--root', root], base);
    expect(ran.code).toBe(0);
    expect(archives(dest)).toHaveLength(1);
  });

  it('exits 6 for a destination on a disk that is not plugged in, naming it, and makes no folder', async () => {
    const { base, root, dest } = await rootOwingABackup();
    // One backup went there; then the disk was unplugged.
    expect((await tend(['backup', 'create', '--root', root], base)).code).toBe(0);
    fs.renameSync(dest, `${dest}-unplugged`);
    const run = await tend(['run-due', '--root', root], base);
    expect(run.code).toBe(6);
    expect(run.stderr).toContain(`The backup destination ${dest} is missing.`);
    expect(run.stderr).toMatch(/\(DESTINATION_UNAVAILABLE\)\n$/);
    expect(fs.existsSync(dest)).toBe(false);
    // Counted as a run: it waits for the next schedule.
    const next = await tend(['run-due', '--root', root], base);
    expect(next).toMatchObject({ code: 0 });
  });

  it('two passes started at once make one backup: the other finds it busy or done', async () => {
    const { base, root, dest } = await rootOwingABackup();
    const bin = path.resolve('bin/tend.mjs');
    const errors: string[] = [];
    const pass = () =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [bin, 'run-due', '--root', root], {
          env: { ...process.env, TEND_STATE_DIR: path.join(base, 'tend-state') },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => {
          errors.push(stderr);
          resolve(code ?? -1);
        });
      });
    const codes = (await Promise.all([pass(), pass()])).sort();
    // What each pass said goes with a failure, so a race shows its cause.
    expect(
      [
        [0, 0],
        [0, 4],
      ],
      errors.join('\n'),
    ).toContainEqual(codes);
    expect(archives(dest)).toHaveLength(1);
  });
});

describe('tend schedule', () => {
  it('installs, shows and uninstalls the systemd timer of the folder under $XDG_CONFIG_HOME', async () => {
    const { base, root } = await rootOwingABackup();
    const xdg = path.join(base, 'xdg');
    const previous = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = xdg;
    try {
      const installed = await tend(['schedule', 'install', '--root', root, '--json'], base);
      expect(installed.code).toBe(0);
      const state = JSON.parse(installed.stdout);
      expect(state.when).toContain('*-*-* 03:00:00');
      const unitDir = path.join(xdg, 'systemd/user');
      expect(fs.readdirSync(unitDir).sort()).toEqual([
        expect.stringMatching(/^tend-run-due-[0-9a-f]{12}\.service$/),
        expect.stringMatching(/^tend-run-due-[0-9a-f]{12}\.timer$/),
      ]);
      const service = fs.readFileSync(
        path.join(
          unitDir,
          fs.readdirSync(unitDir).find((name) => name.endsWith('.service'))!,
        ),
        'utf8',
      );
      expect(service).toContain(`"run-due" "--root" "${root}"`);
      expect(service).toContain(`Environment="TEND_STATE_DIR=${path.join(base, 'tend-state')}"`);

      expect((await tend(['run-due', '--root', root], base)).code).toBe(0);
      const status = await tend(['schedule', 'status', '--root', root], base);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/systemd user timer tend-run-due-\w+\.timer: installed/);
      expect(status.stdout).toMatch(/last run-due .*: exit 0, 1 run/);
      // A date and an age a person reads, not an ISO stamp and "0 h ago".
      expect(status.stdout).toMatch(
        /^Backups: running, last good backup [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} \(.+ ago\)$/m,
      );

      const removed = await tend(['schedule', 'uninstall', '--root', root], base);
      expect(removed.code).toBe(0);
      expect(fs.readdirSync(unitDir)).toEqual([]);
      expect((await tend(['schedule', 'status', '--root', root], base)).stdout).toContain(
        'not installed',
      );
    } finally {
      if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = previous;
    }
  });

  it('runs the scheduled backups into the encrypted repository with the passphrase file the entry names', async () => {
    const { base, root } = await rootOwingABackup();
    const repo = path.join(base, 'repo');
    const file = path.join(base, 'passphrase');
    fs.writeFileSync(file, 'for the timer\n', { mode: 0o644 });
    expect((await tend(['repo', 'init', '--to', repo, '--password-file', file], base)).code).toBe(
      0,
    );
    expect(
      (
        await tend(
          [
            'settings',
            'set',
            '--root',
            root,
            `backup.repository={"kind":"local","folder":"${repo}"}`,
          ],
          base,
        )
      ).code,
    ).toBe(0);
    const saved = { xdg: process.env.XDG_CONFIG_HOME, file: process.env.TEND_PASSWORD_FILE };
    process.env.XDG_CONFIG_HOME = path.join(base, 'xdg');
    try {
      // No passphrase file: the entry is written, and the person is told what it lacks.
      delete process.env.TEND_PASSWORD_FILE;
      const bare = await tend(['schedule', 'install', '--root', root], base);
      expect(bare.code).toBe(0);
      expect(bare.stderr).toContain('cannot open it without its passphrase');
      // A file others can read: said so.
      process.env.TEND_PASSWORD_FILE = file;
      const open = await tend(['schedule', 'install', '--root', root], base);
      expect(open.stderr).toContain(`run "chmod 600 ${file}"`);
      fs.chmodSync(file, 0o600);
      const installed = await tend(['schedule', 'install', '--root', root], base);
      expect(installed.stderr).toBe('');
      const unitDir = path.join(base, 'xdg', 'systemd/user');
      const service = fs.readFileSync(
        path.join(
          unitDir,
          fs.readdirSync(unitDir).find((name) => name.endsWith('.service'))!,
        ),
        'utf8',
      );
      expect(service).toContain(`Environment="TEND_PASSWORD_FILE=${file}"`);
      expect(service).not.toContain('for the timer');

      // What the timer runs: the owed backup goes into the repository.
      const ran = await tend(['run-due', '--root', root], base);
      expect(ran.code, ran.stderr).toBe(0);
      const listed = await tend(['repo', 'snapshots', '--to', repo, '--json'], base);
      expect(JSON.parse(listed.stdout)).toMatchObject([{ kind: 'critical' }]);

      // Later, without TEND_PASSWORD_FILE set: status does not call the entry out of date, and
      // an install keeps the file the entry names (else the timer's backups would fail).
      delete process.env.TEND_PASSWORD_FILE;
      const status = await tend(['schedule', 'status', '--root', root, '--json'], base);
      expect(JSON.parse(status.stdout)).toMatchObject({ installed: true, upToDate: true });
      expect(status.stderr).toContain(`Passphrase file: ${file}, as the installed entry names it`);
      const again = await tend(['schedule', 'install', '--root', root], base);
      expect(again.stderr).not.toContain('cannot open it without its passphrase');
      const serviceFile = path.join(
        unitDir,
        fs.readdirSync(unitDir).find((name) => name.endsWith('.service'))!,
      );
      expect(fs.readFileSync(serviceFile, 'utf8')).toBe(service);
      // Status repeats install's warnings: a file others can read is said so.
      fs.chmodSync(file, 0o644);
      const loose = await tend(['schedule', 'status', '--root', root], base);
      expect(loose.stderr).toContain(`run "chmod 600 ${file}"`);
      fs.chmodSync(file, 0o600);
    } finally {
      for (const [name, value] of [
        ['XDG_CONFIG_HOME', saved.xdg],
        ['TEND_PASSWORD_FILE', saved.file],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
