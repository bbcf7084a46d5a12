/**
 * Issue 16: a wrong --root must not turn a disk into "data", nor its tmp folders into
 * "disposable". Driven through the real `tend` command, as a person would type it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CleanPlan } from '../../../../src-shared/models/usage';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { tend } from '../../../support/run-tend';

const DAY = 24 * 60 * 60 * 1000;

/** Writes a file dated `daysOld` days back. */
function old(root: string, relative: string, daysOld: number, content = 'x'.repeat(100)): void {
  const file = path.join(root, relative);
  writeFile(file, content);
  const when = new Date(Date.now() - daysOld * DAY);
  fs.utimesSync(file, when, when);
}

/** Every entry under a folder, hidden ones included, as sorted relative paths. */
function listAll(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .map((entry) => entry.split(path.sep).join('/'))
    .sort();
}

/** A temp folder laid out like a person's home: documents, downloads, settings, temp files. */
function fakeHome(base: string): string {
  const home = path.join(base, 'home');
  old(home, 'Documents/lab-results.log', 400);
  old(home, 'Documents/report.pdf', 400);
  old(home, 'Downloads/setup.tmp', 400);
  old(home, 'work/tmp/thesis-draft.docx', 400);
  old(home, 'work/.thesis.docx.swp', 400);
  old(home, '.config/app/settings.json', 400);
  old(home, 'logs/old.log', 400);
  return home;
}

function photos(base: string): string {
  const folder = path.join(base, 'photos');
  for (let i = 0; i < 5; i++) old(folder, `2024/IMG_${i}.jpg`, 300);
  old(folder, 'tmp/edit.tmp', 300);
  return folder;
}

function emptyFolder(base: string): string {
  const folder = path.join(base, 'empty');
  fs.mkdirSync(folder);
  return folder;
}

const cleanKinds = ['logs', 'cache', 'locks', 'temp'] as const;
const savedHome = process.env.HOME;

afterEach(() => {
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
});

describe('a folder that is not an assistant’s', () => {
  it('refuses --root / with ROOT_NOT_ALLOWED and exit 3, and writes nothing there', async () => {
    const base = tempDir();
    const before = fs.readdirSync('/').sort();
    for (const args of [
      ['info', '--root', '/'],
      ['usage', '--root', '/'],
      ['clean', 'temp', '--root', '/', '--dry-run'],
      ['adopt', '/', '--yes'],
      ['init', '/'],
      ['demo', '--root', '/'],
    ]) {
      const run = await tend(args, base);
      expect(run.code, args.join(' ')).toBe(3);
      expect(run.stderr, args.join(' ')).toMatch(/top of a disk.*ROOT_NOT_ALLOWED/);
      expect(run.stdout, args.join(' ')).toBe('');
    }
    expect(fs.readdirSync('/').sort()).toEqual(before);
    expect(fs.existsSync('/.tend')).toBe(false);
  });

  it('refuses the home folder itself, even with --yes', async () => {
    const base = tempDir();
    const home = fakeHome(base);
    process.env.HOME = home;
    const before = listAll(home);
    for (const args of [
      ['info', '--root', home],
      ['clean', 'temp', '--root', home, '--dry-run'],
      ['adopt', home, '--yes'],
    ]) {
      const run = await tend(args, base);
      expect(run.code, args.join(' ')).toBe(3);
      expect(run.stderr).toMatch(/your home folder.*ROOT_NOT_ALLOWED/);
    }
    expect(listAll(home)).toEqual(before);
  });

  it.each([
    ['a fake home folder', fakeHome],
    ['a folder of photos', photos],
    ['an empty folder', emptyFolder],
  ])(
    'answers "not an assistant folder" for %s: exit 3, nothing written, nothing offered',
    async (_name, make) => {
      const base = tempDir();
      const folder = make(base);
      const before = listAll(folder);
      const runs = [
        await tend(['info', '--root', folder], base),
        await tend(['usage', '--root', folder], base),
        await tend(['settings', 'get', '--root', folder], base),
        await tend(['clean', 'logs', '--root', folder, '--dry-run'], base),
        await tend(['clean', 'cache', '--root', folder, '--dry-run'], base),
        await tend(['clean', 'locks', '--root', folder, '--dry-run'], base),
        await tend(['clean', 'temp', '--root', folder, '--dry-run'], base),
        await tend(['clean', 'temp', '--root', folder], base),
        await tend(['backup', 'create', '--root', folder], base),
        await tend(['adopt', folder], base),
      ];
      for (const run of runs.slice(0, -1)) {
        expect(run.code).toBe(3);
        expect(run.stderr).toMatch(/not an assistant's data folder.*ROOT_NOT_ASSISTANT/);
        expect(run.stdout).toBe('');
      }
      // Adopting without --yes shows what was found and changes nothing.
      const adopt = runs.at(-1)!;
      expect(adopt.code).toBe(2);
      expect(adopt.stderr).toMatch(/Tend found nothing of an assistant's here/);
      expect(adopt.stderr).toMatch(/Nothing was written\. Add --yes/);
      expect(listAll(folder)).toEqual(before);
      expect(fs.existsSync(path.join(folder, '.tend'))).toBe(false);
    },
  );

  it('offers nothing of an adopted home but what the profile’s own places hold', async () => {
    // Issue 20's reproduction: a fake home opened anyway, log retention 0, then cleanup.
    const base = tempDir();
    const home = fakeHome(base);
    const adopted = await tend(['adopt', home, '--yes'], base);
    expect(adopted.code).toBe(0);
    expect(
      (await tend(['settings', 'set', '--root', home, 'cleanup.logRetentionDays=0'], base)).code,
    ).toBe(0);
    const before = listAll(home).filter((entry) => !entry.startsWith('.tend'));
    for (const kind of cleanKinds) {
      const run = await tend(['clean', kind, '--root', home, '--json'], base);
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as CleanPlan).items).toEqual([]);
    }
    expect(listAll(home).filter((entry) => !entry.startsWith('.tend'))).toEqual(before);
  });
});

describe('an assistant’s folder', () => {
  it('offers none of the documents, uploads or config, whatever their names', async () => {
    const base = tempDir();
    const root = path.join(base, 'assistant');
    expect((await tend(['init', root], base)).code).toBe(0);
    expect(
      (await tend(['settings', 'set', '--root', root, 'cleanup.logRetentionDays=0'], base)).code,
    ).toBe(0);
    const kept = [
      'local_data/internal_assistant/documents/tmp/report.pdf',
      'local_data/internal_assistant/documents/build.tmp',
      'local_data/internal_assistant/documents/notes/server.log',
      'documents/tmp/report.pdf',
      'documents/build.tmp',
      'config/cache/tokens.bin',
      'config/logs/app.log',
      'config/run.lock',
      'data/uploads/ent_1/server.log',
      'data/uploads/ent_1/draft.tmp',
      'work/tmp/thesis-draft.docx',
      'notes/app.log.3',
    ];
    for (const file of kept) old(root, file, 400);
    const offered = [
      ['logs', 'local_data/logs/app-2024-01-01.log'],
      ['logs', 'data/logs/app.log'],
      ['cache', 'local_data/cache/tiktoken/abc'],
      ['temp', 'local_data/cache/tiktoken/abc.12.tmp'],
      ['temp', 'local_data/internal_assistant/vector_store/notes/index.hnsw.ab12.tmp'],
      ['temp', 'local_data/internal_assistant/upload_0a1b2c3d.tmp'],
    ] as const;
    for (const [, file] of offered) old(root, file, 400);

    const plans: Record<string, string[]> = {};
    for (const kind of cleanKinds) {
      const run = await tend(['clean', kind, '--root', root, '--dry-run', '--json'], base);
      expect(run.code, run.stderr).toBe(0);
      const plan = JSON.parse(run.stdout) as CleanPlan;
      plans[kind] = plan.items.map((item) => item.path).sort();
      for (const item of plan.items) {
        // Each reason names the rule that matched, never a guess about the file's past.
        expect(item.reason).not.toMatch(/interrupted/);
        expect(item.reason).toMatch(
          /local_data\/|data\/logs\/|vector_store\/|internal_assistant\//,
        );
      }
    }
    for (const file of kept) {
      expect(Object.values(plans).flat(), file).not.toContain(file);
    }
    for (const kind of cleanKinds) {
      expect(plans[kind]).toEqual(
        offered
          .filter(([k]) => k === kind)
          .map(([, file]) => file)
          .sort(),
      );
    }
    const logs = await tend(['clean', 'logs', '--root', root, '--dry-run', '--json'], base);
    expect((JSON.parse(logs.stdout) as CleanPlan).items[0]?.reason).toMatch(
      /older than the log retention of 0 days/,
    );
  });
});
