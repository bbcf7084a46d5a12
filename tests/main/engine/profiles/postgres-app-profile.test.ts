/**
 * The postgres-app profile (seed 003): detection of its folder by a compose file or `.env`
 * naming a PostgreSQL URL, its category rules, the URLs it reads (passwords cut out), its
 * connection setting (never a password), and its demo.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TendFailure } from '../../../../src-shared/errors';
import { generateDemo } from '../../../../src-main/engine/demo/demo-generator';
import { markerPresent } from '../../../../src-main/engine/profiles/detection';
import {
  namedUrls,
  urlsInText,
  withoutPassword,
} from '../../../../src-main/engine/profiles/postgres-app/compose-urls';
import { postgresAppDemo } from '../../../../src-main/engine/profiles/postgres-app/postgres-app-demo';
import { postgresAppProfile } from '../../../../src-main/engine/profiles/postgres-app/postgres-app-profile';
import {
  readPostgresSettings,
  requirePostgresSettings,
  writePostgresSettings,
} from '../../../../src-main/engine/profiles/postgres-app/postgres-settings';
import { detectProfile } from '../../../../src-main/engine/profiles/registry';
import {
  compileCategoryRules,
  compileCleanupRules,
} from '../../../../src-main/engine/root/category-rules';
import { rootStateAt } from '../../../../src-main/engine/root/root-state';
import { tempDir, writeFile } from '../../../support/temp-dir';

async function demoBot(): Promise<string> {
  const root = path.join(tempDir(), 'bot');
  fs.mkdirSync(root);
  await postgresAppDemo.write({
    root,
    size: 'small',
    seed: 1,
    signal: new AbortController().signal,
    onProgress: () => {},
  });
  return root;
}

describe('postgres-app detection', () => {
  it('detects the demo bot folder as postgres-app, sure of it', async () => {
    const detection = await detectProfile(await demoBot());
    expect(detection.detected).toBe('postgres-app');
    expect(detection.matches[0]!.confidence).toBeGreaterThan(0.9);
  });

  it('detects a bare folder with a compose file and an .env naming PostgreSQL', async () => {
    const root = tempDir();
    writeFile(
      path.join(root, 'docker-compose.yml'),
      'services:\n  api:\n    environment:\n      DATABASE_URL: postgres://app:${PW}@db:5432/app\n',
    );
    writeFile(path.join(root, '.env'), 'DATABASE_URL=postgresql://app@localhost/app\n');
    expect((await detectProfile(root)).detected).toBe('postgres-app');
  });

  it('does not take a compose file of some other app (no PostgreSQL URL) for one', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n');
    writeFile(path.join(root, '.env'), 'MYSQL_URL=mysql://root@db/app\n');
    expect((await detectProfile(root)).detected).toBe(null);
  });

  it('never ties with the native demo', async () => {
    const root = path.join(tempDir(), 'native');
    fs.mkdirSync(root);
    await generateDemo({
      root,
      size: 'small',
      seed: 1,
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    const detection = await detectProfile(root);
    expect(detection.detected).toBe('native');
    expect(detection.matches.find((m) => m.profile === 'postgres-app')!.confidence).toBe(0);
  });

  it.each([
    ['DATABASE_URL=postgresql://u@h/db\n', true],
    ['url: "postgres://u:p@h:5432/db"\n', true],
    ['DATABASE_URL=mysql://u@h/db\n', false],
    ['', false],
  ])('a postgres-url marker in %j: %s', async (text, present) => {
    const root = tempDir();
    writeFile(path.join(root, '.env'), text);
    expect(
      await markerPresent(root, { path: '.env', what: 'x', shape: 'postgres-url', weight: 1 }),
    ).toBe(present);
  });
});

describe('postgres-app category rules', () => {
  const categorize = compileCategoryRules(postgresAppProfile.categoryRules);
  const cleanup = compileCleanupRules(postgresAppProfile.categoryRules);
  it.each([
    ['backend/uploads/user-1/report.pdf', 'irreplaceable', null],
    ['backend/uploads/server.log', 'irreplaceable', null],
    ['database/migrations/001_init.sql', 'irreplaceable', null],
    ['backend/logs/backend.log', 'disposable', 'logs'],
    // Redis: a cache, never backed up, and never removed by Tend's cleanup either.
    ['redis/data/dump.rdb', 'disposable', null],
    ['docker-compose.yml', 'irreplaceable', null],
    ['.env', 'irreplaceable', null],
    ['backups/database_backup_20240101.sql.gz', 'irreplaceable', null],
  ])('%s is %s (cleanup %s)', (file, category, kind) => {
    expect(categorize(file)).toBe(category);
    expect(cleanup(file)?.kind ?? null).toBe(kind);
  });

  it('names the database as a postgres store that is the source of its data', () => {
    const database = postgresAppProfile.stores.find((store) => store.kind === 'postgres')!;
    expect(database).toMatchObject({ category: 'irreplaceable', origin: { kind: 'source' } });
    expect(database.capture).toContain('database/<name>.dump');
  });
});

describe('URLs the folder names', () => {
  it.each([
    [
      'postgresql://postgres:secret@database:5432/impactbot_v2',
      'postgresql://postgres@database:5432/impactbot_v2',
      true,
    ],
    ['postgres://app@db/app', 'postgres://app@db/app', false],
    ['postgres://:pw@db/app', 'postgres://db/app', true],
    ['redis://:pw@redis:6379/0', 'redis://redis:6379/0', true],
    ['postgresql://db/app', 'postgresql://db/app', false],
  ])('%s without its password is %s', (url, expected, hadPassword) => {
    expect(withoutPassword(url)).toEqual({ url: expected, hadPassword });
  });

  it('reads variables, skips comments, and keeps no password', () => {
    const found = urlsInText(
      '.env',
      '# DATABASE_URL=postgresql://old@x/y\nDATABASE_URL=postgresql://u:hunter2@db:5432/bot\n  - REDIS_URL=redis://redis:6379/0\n',
    );
    expect(found).toEqual([
      {
        file: '.env',
        variable: 'DATABASE_URL',
        url: 'postgresql://u@db:5432/bot',
        hadPassword: true,
      },
      { file: '.env', variable: 'REDIS_URL', url: 'redis://redis:6379/0', hadPassword: false },
    ]);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });

  it('finds the demo folder’s database and Redis', async () => {
    const urls = await namedUrls(await demoBot());
    expect(urls.map((item) => item.url)).toContain(
      'postgresql://postgres@localhost:5432/impactbot_v2',
    );
    expect(urls.some((item) => item.url.startsWith('redis://'))).toBe(true);
  });
});

describe('the connection setting', () => {
  it('is saved in Tend’s state folder, never with a password, and read back', async () => {
    const state = rootStateAt(path.join(tempDir(), 'state'));
    expect(await readPostgresSettings(state)).toBe(null);
    await expect(requirePostgresSettings(state)).rejects.toThrow(/tend pg connect/);
    await writePostgresSettings(state, {
      url: 'postgresql://postgres@localhost:5432/bot',
      password: { from: 'env', variable: 'BOT_PW' },
    });
    expect(await readPostgresSettings(state)).toEqual({
      url: 'postgresql://postgres@localhost:5432/bot',
      password: { from: 'env', variable: 'BOT_PW' },
    });
    expect(fs.statSync(path.join(state.dir, 'postgres.json')).mode & 0o077).toBe(0);
  });

  it('refuses a URL that carries a password', async () => {
    const state = rootStateAt(path.join(tempDir(), 'state'));
    const error = await writePostgresSettings(state, {
      url: 'postgresql://postgres:secret@localhost:5432/bot',
      password: { from: 'none' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TendFailure);
    expect((error as TendFailure).code).toBe('INVALID_INPUT');
    expect(fs.existsSync(path.join(state.dir, 'postgres.json'))).toBe(false);
  });

  it('says what is wrong with a damaged setting', async () => {
    const state = rootStateAt(path.join(tempDir(), 'state'));
    writeFile(path.join(state.dir, 'postgres.json'), '{"url": 3}');
    await expect(readPostgresSettings(state)).rejects.toMatchObject({
      code: 'SETTINGS_UNREADABLE',
    });
  });
});

describe('the postgres-app demo', () => {
  it('writes the same folder for the same seed, and says the database needs a server', async () => {
    const a = await demoBot();
    const b = await demoBot();
    const list = (root: string) =>
      fs
        .readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => {
          const file = path.join(entry.parentPath, entry.name);
          return [path.relative(root, file), fs.readFileSync(file).toString('base64')];
        })
        .sort();
    expect(list(a)).toEqual(list(b));
    expect(fs.existsSync(path.join(a, 'backend/uploads'))).toBe(true);
    expect(fs.readFileSync(path.join(a, '.env'), 'utf8')).not.toMatch(/:\/\/[^@\s]*:[^@\s]*@/);
  });
});
