/**
 * Issue 17: nothing lost at the edges. Links (inside and outside the root), special files,
 * files a backup left out, names with a backslash or a drive-like colon, names that are not
 * UTF-8, and paths past the system's limit: each backed up, restored and undone exactly, or
 * kept and named, never removed or skipped without a word.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import type { RestoreReport } from '../../../../src-shared/models/restore';
import {
  BackupService,
  type BackupFaults,
} from '../../../../src-main/engine/backup/backup-service';
import type { Engine } from '../../../../src-main/engine/engine';
import { encodeName } from '../../../../src-main/engine/fs/raw-name';
import {
  lstatEntry,
  readFolder,
  readLink,
  removeTree,
} from '../../../../src-main/engine/fs/sys-fs';
import { locateArchive } from '../../../../src-main/engine/restore/backup-locator';
import { planRestore } from '../../../../src-main/engine/restore/restore-plan';
import { restoreServiceFor } from '../../../../src-main/engine/restore/restore-service';
import { scanUsage } from '../../../../src-main/engine/usage/scanner';
import { sumFigures } from '../../../../src-main/engine/usage/usage-tree';
import { nativeCategoryRules, nativeRoot } from '../../../support/native-root';
import { buildArchive } from './support/archive-builder';
import {
  exactFingerprint,
  isPastLimit,
  LATIN1_RESUME,
  makeFifo,
  pathOfLength,
  readExact,
  writeExact,
} from './support/exact-tree';
import { restoreFixture, waitJob, type RestoreFixture } from './support/restore-fixture';
import { gnuExtract } from '../backup/backup-fixture';

const docs = 'local_data/internal_assistant/documents';

let fixture: RestoreFixture | null = null;
afterEach(async () => {
  await fixture?.engine.close();
  fixture = null;
});

async function backUp(
  engine: Engine,
  kind: 'critical' | 'full' = 'critical',
  faults?: BackupFaults,
): Promise<BackupRecord> {
  const session = engine.requireSession();
  const job = faults
    ? new BackupService(session, engine, faults).start({ kind })
    : await engine.call('backups:create', { kind });
  const done = await session.jobs.wait(job.id);
  expect(done.error, JSON.stringify(done.error)).toBeNull();
  return done.result as BackupRecord;
}

async function restore(
  engine: Engine,
  backup: string,
  scope: Record<string, unknown> = { kind: 'everything' },
): Promise<RestoreReport> {
  const finished = await waitJob(engine, await engine.call('restore:apply', { backup, scope }));
  expect(finished.error, JSON.stringify(finished.error)).toBeNull();
  return finished.result as RestoreReport;
}

async function undo(engine: Engine): Promise<RestoreReport> {
  const finished = await waitJob(engine, await engine.call('restore:undo'));
  expect(finished.error, JSON.stringify(finished.error)).toBeNull();
  return finished.result as RestoreReport;
}

async function setSetting(engine: Engine, patch: Record<string, unknown>) {
  const settings = await engine.call('settings:get');
  await engine.call('settings:set', {
    settings: { ...settings, backup: { ...settings.backup, ...patch } },
  });
}

/** A fault hook that refuses to open one file, as a file without read permission does. */
function refuseToOpen(relative: string): BackupFaults {
  return {
    openSource: async (file) => {
      if (file.endsWith(relative)) {
        throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), {
          code: 'EACCES',
        });
      }
      return fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    },
  };
}

const pathsOf = (plan: { kept: { entries: ReadonlyArray<{ path: string }> } }) =>
  plan.kept.entries.map((item) => item.path);

describe('a restore never removes what the backup could not hold', () => {
  it('keeps links leading outside, FIFOs and unreadable files; restores inside links as links; undo is exact', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const elsewhere = path.join(f.base, 'big-disk');
    writeExact(path.join(elsewhere, 'big/report.pdf'), 'a large upload kept on another disk');
    fs.symlinkSync('a.md', path.join(f.root, docs, 'c1/latest.md'));
    fs.symlinkSync(`../${docs}/c1`, path.join(f.root, 'config/current'));
    fs.symlinkSync(path.join(f.canary, 'secret.txt'), path.join(f.root, 'config/outside.txt'));
    // A collection's documents folder kept on another disk, as people do with big data.
    fs.symlinkSync(path.join(elsewhere, 'big'), path.join(f.root, docs, 'big'));
    makeFifo(path.join(f.root, docs, 'c1/pipe'));
    writeExact(path.join(f.root, docs, 'c1/locked.md'), '# cannot be read by Tend\n');
    await setSetting(f.engine, { unreadableFiles: 'warn' });

    const record = await backUp(f.engine, 'critical', refuseToOpen('c1/locked.md'));
    const warned = (relative: string) =>
      record.warnings.find((warning) => warning.path === relative)?.message ?? '';
    expect(warned(`${docs}/big`)).toMatch(/Only the link is in this backup/);
    expect(warned('config/outside.txt')).toMatch(/Only the link is in this backup/);
    expect(warned(`${docs}/c1/pipe`)).toMatch(/Left out: not a regular file/);
    expect(warned(`${docs}/c1/locked.md`)).toMatch(/Left out: cannot read the file/);
    expect(warned(`${docs}/c1/latest.md`)).toBe('');

    // Onto the unchanged root: nothing changes, not even an inode, and what stays is named.
    const unchanged = exactFingerprint(f.root, { inodes: true });
    const archive = path.join(record.destination, record.fileName);
    const plan = await f.engine.call('restore:plan', {
      backup: archive,
      scope: { kind: 'everything' },
    });
    expect(plan.refusals).toEqual([]);
    expect(plan.totals.removed).toBe(0);
    expect(pathsOf(plan)).toEqual([`${docs}/c1/locked.md`, `${docs}/c1/pipe`]);
    const same = await restore(f.engine, archive);
    expect(same.totals).toMatchObject({ added: 0, replaced: 0, removed: 0 });
    expect(same.safetySnapshot).toBeNull();
    expect(exactFingerprint(f.root, { inodes: true })).toEqual(unchanged);

    // Changed since: an inside link retargeted, another gone, a file edited, one added.
    fs.rmSync(path.join(f.root, docs, 'c1/latest.md'));
    fs.symlinkSync('b.md', path.join(f.root, docs, 'c1/latest.md'));
    fs.rmSync(path.join(f.root, 'config/current'));
    fs.writeFileSync(path.join(f.root, docs, 'c1/a.md'), '# edited\n');
    fs.writeFileSync(path.join(f.root, docs, 'c1/new.md'), '# new\n');
    const changed = exactFingerprint(f.root);
    const report = await restore(f.engine, archive);
    expect(report.totals).toMatchObject({ added: 1, replaced: 2, removed: 1 });
    expect(pathsOf(report)).toEqual([`${docs}/c1/locked.md`, `${docs}/c1/pipe`]);
    expect(readLink(path.join(f.root, docs, 'c1/latest.md'))).toBe('a.md');
    expect(readLink(path.join(f.root, 'config/current'))).toBe(`../${docs}/c1`);
    expect(fs.readFileSync(path.join(f.root, docs, 'c1/a.md'), 'utf8')).toBe('# live A\n');
    expect(fs.existsSync(path.join(f.root, docs, 'c1/new.md'))).toBe(false);
    expect(lstatEntry(path.join(f.root, docs, 'c1/pipe'))?.isFIFO()).toBe(true);
    expect(fs.readFileSync(path.join(f.root, docs, 'c1/locked.md'), 'utf8')).toContain('cannot');
    expect(readLink(path.join(f.root, docs, 'big'))).toBe(path.join(elsewhere, 'big'));
    expect(fs.readFileSync(path.join(elsewhere, 'big/report.pdf'), 'utf8')).toContain('large');

    // The snapshot held the links it replaced: undo puts back exactly what was there.
    await undo(f.engine);
    expect(exactFingerprint(f.root)).toEqual(changed);
  });

  it('never writes through a documents folder that became a link to another disk', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    // The backup was made while documents/big was a real folder; since then it was moved to
    // another disk and a link left in its place.
    const built = buildArchive(path.join(f.base, 'archives'), {
      files: [
        { path: 'config/settings.json', content: '{"live":true}\n' },
        { path: `${docs}/big/report.pdf`, content: 'the old report' },
      ],
    });
    const elsewhere = path.join(f.base, 'big-disk');
    writeExact(path.join(elsewhere, 'big/report.pdf'), 'the report, moved to another disk');
    fs.symlinkSync(path.join(elsewhere, 'big'), path.join(f.root, docs, 'big'));
    const plan = await f.engine.call('restore:plan', {
      backup: built.archivePath,
      scope: { kind: 'everything' },
    });
    expect(plan.refusals).toEqual([]);
    expect(plan.kept.entries).toContainEqual({
      path: `${docs}/big`,
      reason: expect.stringMatching(/link leading outside.*never writes through a link/),
    });
    await restore(f.engine, built.archivePath);
    expect(readLink(path.join(f.root, docs, 'big'))).toBe(path.join(elsewhere, 'big'));
    expect(fs.readFileSync(path.join(elsewhere, 'big/report.pdf'), 'utf8')).toBe(
      'the report, moved to another disk',
    );
  });

  it('makes no link from a backup that leads outside, and reports it', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    // One link that stays inside, one that climbs out of the root to the canary beside it.
    const withLinks = buildArchive(path.join(f.base, 'links'), {
      id: 'tend-20261102-030000-full',
      files: [{ path: 'config/settings.json', content: '{"restored":true}\n' }],
      links: [
        { path: 'config/inside', target: 'settings.json' },
        { path: 'config/escape', target: '../../canary' },
      ],
    });
    const plan = await f.engine.call('restore:plan', {
      backup: withLinks.archivePath,
      scope: { kind: 'everything' },
    });
    expect(plan.warnings.join('\n')).toMatch(
      /config\/escape is a link in the backup leading outside/,
    );
    const report = await restore(f.engine, withLinks.archivePath);
    expect(report.totals.added).toBe(1);
    expect(readLink(path.join(f.root, 'config/inside'))).toBe('settings.json');
    expect(lstatEntry(path.join(f.root, 'config/escape'))).toBeUndefined();
  });
});

describe('names Linux holds are restored as written', () => {
  it('backs up, verifies and restores a backslash name and an X: name, alone or with the rest', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const backslash = 'config/Q1\\Q2 plan.txt';
    const drive = `${docs}/c1/C:notes.md`;
    const climbing = 'config/a\\..\\..\\escape.txt';
    fs.writeFileSync(path.join(f.root, backslash), 'quarterly plan\n');
    fs.writeFileSync(path.join(f.root, drive), '# notes\n');
    fs.writeFileSync(path.join(f.root, climbing), 'one plain name on Linux\n');
    const record = await backUp(f.engine);
    const archive = path.join(record.destination, record.fileName);

    const verified = await waitJob(
      f.engine,
      await f.engine.call('backups:verify', { id: record.id, depth: 'full' }),
    );
    expect(verified.error).toBeNull();
    const { backups } = await f.engine.call('restore:backups');
    expect(backups.map((backup) => backup.id)).toContain(record.id);

    fs.writeFileSync(path.join(f.root, 'config/settings.json'), '{"changed":true}\n');
    await restore(f.engine, record.id, { kind: 'paths', paths: ['config/settings.json'] });
    expect(fs.readFileSync(path.join(f.root, 'config/settings.json'), 'utf8')).toBe(
      '{"live":true}\n',
    );

    for (const name of [backslash, drive, climbing]) fs.rmSync(path.join(f.root, name));
    const plan = await f.engine.call('restore:plan', {
      backup: archive,
      scope: { kind: 'paths', paths: [backslash] },
    });
    expect(plan.changes).toEqual([{ path: backslash, action: 'add', bytes: 15 }]);
    await restore(f.engine, archive);
    expect(fs.readFileSync(path.join(f.root, backslash), 'utf8')).toBe('quarterly plan\n');
    expect(fs.readFileSync(path.join(f.root, drive), 'utf8')).toBe('# notes\n');
    // A backslash is no separator here: the name came back as one file, in config/.
    expect(fs.readdirSync(path.join(f.root, 'config'))).toContain('a\\..\\..\\escape.txt');
    expect(fs.existsSync(path.join(f.base, 'escape.txt'))).toBe(false);
  });
});

describe('names another system cannot hold', () => {
  it('are reported one by one on that system, and the rest of the backup is restored', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const built = buildArchive(path.join(f.base, 'from-linux'), {
      files: [
        { path: 'config/settings.json', content: '{"from":"linux"}\n' },
        { path: 'config/Q1\\Q2 plan.txt', content: 'plan' },
        { path: `${docs}/c1/C:notes.md`, content: 'notes' },
      ],
    });
    const backup = await locateArchive(built.archivePath);
    const onWindows = await planRestore(
      nativeRoot(f.root),
      backup,
      { kind: 'everything' },
      undefined,
      {
        platform: 'win32',
      },
    );
    expect(onWindows.plan.refusals).toEqual([]);
    expect(onWindows.ops.map((op) => op.path)).toContain('config/settings.json');
    expect(onWindows.ops.map((op) => op.path)).not.toContain('config/Q1\\Q2 plan.txt');
    const warning = onWindows.plan.warnings.join('\n');
    expect(warning).toMatch(/2 names in the backup cannot be held on this system/);
    expect(warning).toContain('config/Q1\\Q2 plan.txt');
    expect(warning).toContain(`${docs}/c1/C:notes.md`);
    const onLinux = await planRestore(nativeRoot(f.root), backup, { kind: 'everything' });
    expect(onLinux.plan.warnings).toEqual([]);
    expect(onLinux.ops.map((op) => op.path)).toContain('config/Q1\\Q2 plan.txt');
  });
});

describe('names that are not UTF-8', () => {
  it('round-trip byte for byte through backup, manifest, GNU tar and restore, and are counted', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const relative = `${docs}/c1/${LATIN1_RESUME}`;
    writeExact(path.join(f.root, relative), 'curriculum vitae\n');
    writeExact(path.join(f.root, `${docs}/${LATIN1_RESUME}-folder/inner.md`), '# inside\n');

    const scan = await scanUsage(f.root, { rules: nativeCategoryRules });
    const found = execFileSync(
      'sh',
      ['-c', 'find . -path ./.tend -prune -o ! -type d -print | wc -l'],
      {
        cwd: f.root,
        encoding: 'utf8',
      },
    );
    expect(sumFigures(scan.root.total).files).toBe(Number(found.trim()));
    expect(scan.stats.unreadable).toBe(0);

    const record = await backUp(f.engine);
    const sidecar = JSON.parse(
      fs.readFileSync(path.join(record.destination, `${record.id}.manifest.json`), 'utf8'),
    ) as { entries: Array<{ path: string }> };
    expect(sidecar.entries.map((entry) => entry.path)).toContain(relative);
    // GNU tar reads the exact bytes from the archive's pax header.
    const out = gnuExtract(
      path.join(record.destination, record.fileName),
      path.join(f.base, 'gnu'),
    );
    const names = fs.readdirSync(path.join(out, docs, 'c1'), { encoding: 'buffer' });
    expect(names.map((name) => name.toString('latin1'))).toContain('r\xe9sum\xe9.txt');

    fs.rmSync(path.join(f.root, docs), { recursive: true });
    fs.mkdirSync(path.join(f.root, docs));
    await restore(f.engine, record.id);
    expect(readExact(path.join(f.root, relative)).toString()).toBe('curriculum vitae\n');
    const restored = readFolder(path.join(f.root, docs, 'c1')).map((entry) => entry.name);
    expect(restored.map((name) => encodeName(name).toString('latin1'))).toContain(
      'r\xe9sum\xe9.txt',
    );
    expect(
      readExact(path.join(f.root, `${docs}/${LATIN1_RESUME}-folder/inner.md`)).toString(),
    ).toBe('# inside\n');
  });
});

describe('paths near and past the system limit', () => {
  it('backs up and restores a file whose path is just under PATH_MAX, and one past it', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const near = pathOfLength(f.root, `${docs}/deep`, 4090);
    const past = pathOfLength(f.root, `${docs}/deeper`, 4600);
    expect(isPastLimit(path.join(f.root, near))).toBe(true);
    expect(Buffer.byteLength(path.join(f.root, near))).toBeLessThan(4096);
    expect(Buffer.byteLength(path.join(f.root, past))).toBeGreaterThan(4096);
    writeExact(path.join(f.root, near), 'near the limit\n');
    writeExact(path.join(f.root, past), 'past the limit\n');
    try {
      const record = await backUp(f.engine);
      const entries = (
        JSON.parse(
          fs.readFileSync(path.join(record.destination, `${record.id}.manifest.json`), 'utf8'),
        ) as { entries: Array<{ path: string }> }
      ).entries.map((entry) => entry.path);
      expect(entries).toEqual(expect.arrayContaining([near, past]));
      const before = exactFingerprint(f.root);

      writeExact(path.join(f.root, near), 'changed\n');
      const report = await restore(f.engine, record.id);
      expect(report.totals.replaced).toBe(1);
      expect(readExact(path.join(f.root, near)).toString()).toBe('near the limit\n');
      await undo(f.engine);
      expect(readExact(path.join(f.root, near)).toString()).toBe('changed\n');
      removeTree(path.join(f.root, `${docs}/deeper`));
      await restore(f.engine, record.id);
      expect(exactFingerprint(f.root)).toEqual(before);
    } finally {
      // The temp folder's own clean-up cannot remove a tree past the limit.
      removeTree(path.join(f.root, `${docs}/deeper`));
    }
  });
});

describe('the smaller ones', () => {
  it("reports a scope that leaves the data folder as the person's bad input", async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const record = await backUp(f.engine);
    for (const channel of ['restore:plan', 'restore:apply'] as const) {
      const result = await f.engine.dispatch(channel, {
        backup: record.id,
        scope: { kind: 'paths', paths: ['../etc'] },
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(!result.ok && result.error.message).not.toMatch(/archive/);
    }
  });

  it('says a failed swap was rolled back, without a doubled code, and leaves the root as it was', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const record = await backUp(f.engine);
    fs.writeFileSync(path.join(f.root, 'config/settings.json'), '{"changed":true}\n');
    fs.writeFileSync(path.join(f.root, `${docs}/c1/a.md`), '# changed A\n');
    const before = exactFingerprint(f.root);
    restoreServiceFor(f.engine.requireSession(), f.engine, {
      onStep: (step, swapped) => {
        if (step === 'swap-file' && swapped === 1) {
          throw Object.assign(
            new Error(`EACCES: permission denied, rename '${f.root}/config/settings.json'`),
            { code: 'EACCES', path: `${f.root}/config/settings.json` },
          );
        }
      },
    });
    const finished = await waitJob(
      f.engine,
      await f.engine.call('restore:apply', { backup: record.id, scope: { kind: 'everything' } }),
    );
    expect(finished.error?.code).toBe('RESTORE_SWAP_FAILED');
    expect(finished.error?.message).toMatch(/everything was put back as it was/);
    expect(finished.error?.message).toMatch(/permission denied \(EACCES\)/);
    expect(finished.error?.message).not.toMatch(/EACCES: EACCES/);
    expect(exactFingerprint(f.root)).toEqual(before);
    expect(f.clean()).toBe(true);
  });

  it('says when putting back failed too, and puts it back before the next restore starts', async (context) => {
    fixture = await restoreFixture();
    const f = fixture;
    const record = await backUp(f.engine);
    fs.writeFileSync(path.join(f.root, 'config/settings.json'), '{"changed":true}\n');
    fs.writeFileSync(path.join(f.root, `${docs}/c1/a.md`), '# changed A\n');
    const before = exactFingerprint(f.root);
    const config = path.join(f.root, 'config');
    // An immutable folder refuses every rename into it, even to root: the rollback fails.
    const immutable = (on: boolean) => {
      try {
        execFileSync('chattr', [on ? '+i' : '-i', config], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    if (!immutable(true)) context.skip('chattr +i needs root on a file system that has it');
    immutable(false);
    restoreServiceFor(f.engine.requireSession(), f.engine, {
      onStep: (step, swapped) => {
        if (step === 'swap-file' && swapped === 1) {
          immutable(true);
          throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
        }
      },
    });
    try {
      const failed = await waitJob(
        f.engine,
        await f.engine.call('restore:apply', { backup: record.id, scope: { kind: 'everything' } }),
      );
      expect(failed.error?.code).toBe('RESTORE_SWAP_FAILED');
      expect(failed.error?.message).toMatch(/putting everything back failed too.*Nothing is lost/);
    } finally {
      immutable(false);
    }
    expect(f.clean()).toBe(false);
    // The next restore (here of one unchanged file) first puts the earlier one back.
    await restore(f.engine, record.id, { kind: 'paths', paths: [`${docs}/c1/b.md`] });
    expect(exactFingerprint(f.root)).toEqual(before);
    expect(f.clean()).toBe(true);
  });

  it('refuses to export into a link to the data folder, and leaves an older partial export alone', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const record = await backUp(f.engine);
    const alias = path.join(f.base, 'alias');
    fs.symlinkSync(f.root, alias);
    const refused = await f.engine.dispatch('restore:export', {
      backup: record.id,
      target: path.join(alias, 'newdir'),
      scope: { kind: 'everything' },
    });
    // The path gate at the contract's door refuses it first; the export itself refuses it too.
    expect(refused).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    const service = restoreServiceFor(f.engine.requireSession(), f.engine);
    await expect(
      service.export(record.id, path.join(alias, 'newdir'), { kind: 'everything' }),
    ).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
    expect(fs.existsSync(path.join(f.root, 'newdir'))).toBe(false);

    const target = path.join(f.base, 'copy');
    const older = path.join(f.base, '.copy.tend-partial');
    writeExact(path.join(older, 'keep-me.txt'), 'a person put this here');
    const job = await f.engine.call('restore:export', {
      backup: record.id,
      target,
      scope: { kind: 'everything' },
    });
    const done = await waitJob(f.engine, job);
    expect(done.error).toBeNull();
    expect(fs.readFileSync(path.join(older, 'keep-me.txt'), 'utf8')).toBe('a person put this here');
    expect(fs.readFileSync(path.join(target, 'config/settings.json'), 'utf8')).toBe(
      '{"live":true}\n',
    );
    expect(fs.readdirSync(f.base).filter((name) => name.includes('tend-partial'))).toEqual([
      '.copy.tend-partial',
    ]);
  });

  it('does not count a safety snapshot as the last backup', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const record = await backUp(f.engine);
    fs.writeFileSync(path.join(f.root, 'config/settings.json'), '{"changed":true}\n');
    const report = await restore(f.engine, record.id);
    expect(report.safetySnapshot).not.toBeNull();
    const info = await f.engine.call('root:info');
    expect(info.lastBackup?.id).toBe(record.id);
    expect(info.lastBackup?.kind).toBe('critical');
  });

  it('leaves out an unreadable folder with a warning when settings say warn, and a restore keeps it', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    writeExact(path.join(f.root, `${docs}/c2/shut/x.md`), '# x\n');
    const shut = path.join(f.root, `${docs}/c2/shut`);
    // Root lists every folder whatever its mode: the folder is made unreadable at the one
    // door the scan lists folders through.
    const faults: BackupFaults = {
      readFolder: (folder) => {
        if (folder === shut) {
          throw Object.assign(new Error(`EACCES: permission denied, scandir '${folder}'`), {
            code: 'EACCES',
          });
        }
        return readFolder(folder);
      },
    };
    const session = f.engine.requireSession();
    const failed = await session.jobs.wait(
      new BackupService(session, f.engine, faults).start({ kind: 'critical' }).id,
    );
    expect(failed.error?.code).toBe('FILE_UNREADABLE');
    expect(failed.error?.message).toContain(`${docs}/c2/shut`);
    expect(failed.error?.message).not.toMatch(/EACCES: EACCES/);

    await setSetting(f.engine, { unreadableFiles: 'warn' });
    const record = await backUp(f.engine, 'critical', faults);
    expect(record.warnings).toContainEqual({
      path: `${docs}/c2/shut`,
      message: expect.stringMatching(
        /^Left out: cannot read the folder \(permission denied \(EACCES\)\)/,
      ),
    });
    const plan = await f.engine.call('restore:plan', {
      backup: record.id,
      scope: { kind: 'everything' },
    });
    expect(plan.totals.removed).toBe(0);
    expect(plan.kept.entries).toContainEqual({
      path: `${docs}/c2/shut/x.md`,
      reason: expect.stringMatching(/left it out: cannot read the folder/),
    });
    await restore(f.engine, record.id);
    expect(fs.readFileSync(path.join(shut, 'x.md'), 'utf8')).toBe('# x\n');
  });
});

describe('"latest" and "newest verified"', () => {
  it('takes the newest restorable backup for latest, says whether it was verified, and offers newest verified apart', async () => {
    fixture = await restoreFixture();
    const f = fixture;
    const none = await f.engine.call('restore:latest', { which: 'latest' });
    expect(none.plan).toBeNull();
    expect(none.reason).toMatch(/no backup to restore yet/);

    const older = await backUp(f.engine);
    await waitJob(f.engine, await f.engine.call('backups:verify', { id: older.id, depth: 'full' }));
    fs.writeFileSync(path.join(f.root, 'config/settings.json'), '{"newer":true}\n');
    const newer = await backUp(f.engine, 'full');

    const latest = await f.engine.call('restore:latest', {});
    expect(latest.plan?.backup).toMatchObject({ id: newer.id, verified: false });
    expect(latest.plan?.warnings[0]).toMatch(/newest backup and has not been verified yet/);
    const verified = await f.engine.call('restore:latest', { which: 'newest-verified' });
    expect(verified.plan?.backup).toMatchObject({ id: older.id, verified: true });

    const { backups } = await f.engine.call('restore:backups');
    expect(backups[0]?.id).toBe(latest.plan?.backup.id);

    // With no verified backup, the message says so and names the latest one instead.
    await f.engine.call('backups:delete', { id: older.id });
    const noVerified = await f.engine.call('restore:latest', { which: 'newest-verified' });
    expect(noVerified.plan).toBeNull();
    expect(noVerified.reason).toMatch(new RegExp(`No backup has been verified yet.*${newer.id}`));
  });
});
