/**
 * Issue 20: a path that crosses the contract is one the person chose. Every channel whose
 * input has a path is listed here and shown to go through the one gate before its handler.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { invokeChannels, type Channel } from '../../../../src-shared/contract';
import {
  collectPathFields,
  pathFields,
  type PathAccess,
  type PickPurpose,
} from '../../../../src-shared/models/paths';
import type { Handlers } from '../../../../src-main/engine/dispatch';
import { Engine } from '../../../../src-main/engine/engine';
import type { PathTransport } from '../../../../src-main/engine/root/path-gate';
import { tempDir, writeFile } from '../../../support/temp-dir';

/** Every string field of a schema, marked or not, with where it sits. */
function stringFields(
  schema: z.ZodType,
  at: string[] = [],
): Array<{ at: string; marked: boolean }> {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  if (pathFields.get(schema)) return [{ at: at.join('.'), marked: true }];
  if (def.type === 'string') return [{ at: at.join('.'), marked: false }];
  const found: Array<{ at: string; marked: boolean }> = [];
  for (const key of ['innerType', 'in', 'out'] as const) {
    if (def[key]) found.push(...stringFields(def[key] as z.ZodType, at));
  }
  if (def.type === 'array') found.push(...stringFields(def.element as z.ZodType, [...at, '*']));
  if (def.type === 'object') {
    for (const [key, child] of Object.entries(def.shape as Record<string, z.ZodType>)) {
      found.push(...stringFields(child, [...at, key]));
    }
  }
  for (const option of (def.options as z.ZodType[] | undefined) ?? []) {
    found.push(...stringFields(option, at));
  }
  return found;
}

/** The path fields of the contract: channel, where, and what the channel does with it. */
const expectedPathFields: ReadonlyArray<[Channel, string, PathAccess]> = [
  ['root:open', 'path', 'root'],
  ['root:inspect', 'path', 'root'],
  ['profiles:detect', 'path', 'root'],
  ['profiles:survey', 'path', 'root'],
  ['root:create', 'path', 'new-root'],
  ['demo:generate', 'path', 'new-root'],
  ['settings:set', 'settings.backup.destination', 'destination'],
  ['backups:create', 'destination', 'destination'],
  ['pg:guard', 'destination', 'destination'],
  ['pg:backup', 'destination', 'destination'],
  ['pg:connect', 'password.path', 'read-file'],
  ['pg:restore', 'backup', 'backup-ref'],
  ['pg:migrations', 'folder', 'read-folder'],
  ['pg:migrate', 'folder', 'read-folder'],
  ['pg:migrate', 'destination', 'destination'],
  ['backups:import', 'path', 'read-folder'],
  ['restore:plan', 'backup', 'backup-ref'],
  ['restore:apply', 'backup', 'backup-ref'],
  ['restore:export', 'backup', 'backup-ref'],
  ['restore:export', 'target', 'write-folder'],
  ['restore:import', 'file', 'read-file'],
  ['vectors:import', 'file', 'read-file'],
  ['records:export', 'path', 'write-file'],
  ['records:import', 'path', 'read-file'],
  ['move:plan', 'target', 'new-root'],
  ['move:apply', 'target', 'new-root'],
  ['settings:set', 'settings.backup.repository.folder', 'destination'],
  ['settings:set', 'settings.backup.repository.identityFile', 'read-file'],
  ['repository:set', 'destination.folder', 'destination'],
  ['repository:set', 'destination.identityFile', 'read-file'],
  ['repository:test', 'destination.folder', 'destination'],
  ['repository:test', 'destination.identityFile', 'read-file'],
];

/**
 * String fields whose names sound like paths but name no file on the person's machine, and
 * why each is safe without the gate.
 */
const notMachinePaths: Readonly<Record<string, string>> = {
  'usage:tree path': 'a folder of the last scan, root-relative; `..` refused by its schema',
  'restore:plan scope.paths.*': 'root-relative paths inside the backup, confined by restore',
  'restore:apply scope.paths.*': 'root-relative paths inside the backup, confined by restore',
  'restore:export scope.paths.*': 'root-relative paths inside the backup, confined by restore',
  'backups:verify id': 'a backup id: only its base name is looked up in the history',
  'backups:delete id': 'a backup id: only its base name is looked up in the history',
  'backups:app-import file':
    'a file name of the app’s own backups: only its base name is matched against the files the app’s backup folder holds',
  'root:pick-file defaultName': 'the name a save dialog proposes; the person confirms the path',
  'root:open profile': 'a profile id (ProfileIdSchema: lower-case letters, digits, dashes)',
  'root:create profile': 'a profile id (ProfileIdSchema: lower-case letters, digits, dashes)',
  'demo:generate profile': 'a profile id (ProfileIdSchema: lower-case letters, digits, dashes)',
  'settings:set settings.backup.repository.path':
    'a folder on the SFTP server, never opened on this machine',
  'repository:set destination.path': 'a folder on the SFTP server, never opened on this machine',
  'repository:test destination.path': 'a folder on the SFTP server, never opened on this machine',
  'profiles:survey profile': 'a profile id (ProfileIdSchema: lower-case letters, digits, dashes)',
};

const pathLike = /path|file|dir|folder|target|dest|archive|backup|root/i;

describe('the contract’s path fields', () => {
  it('are exactly these, each marked with what the channel does with it', () => {
    const found = Object.entries(invokeChannels).flatMap(([channel, spec]) =>
      collectPathFields(spec.input).map(
        (entry) => [channel, entry.at.join('.'), entry.access] as const,
      ),
    );
    expect([...found].sort()).toEqual([...expectedPathFields].sort());
  });

  it('leave no path-like string field unmarked without a reason', () => {
    const unmarked: string[] = [];
    for (const [channel, spec] of Object.entries(invokeChannels)) {
      for (const field of stringFields(spec.input)) {
        const key = `${channel} ${field.at}`;
        // A field is named by its own key (the last one that is not an array's `*`).
        const name =
          field.at
            .split('.')
            .filter((part) => part !== '*')
            .at(-1) ?? '';
        if (field.marked || !pathLike.test(name)) continue;
        if (!(key in notMachinePaths)) unmarked.push(key);
      }
    }
    expect(unmarked, unmarked.join(', ')).toEqual([]);
  });
});

/**
 * A valid input for a channel with `value` in its path field `at`; a channel's other path
 * field gets `other` (an export folder that passes).
 */
function inputFor(
  channel: Channel,
  at: string,
  value: string,
  other = path.join(base, 'export-here'),
): Record<string, unknown> {
  const base: Partial<Record<Channel, Record<string, unknown>>> = {
    'restore:export': { backup: 'tend-20260101-000000-full', target: other },
    'vectors:import': { collection: 'notes' },
    'records:export': { kind: 'interactions', format: 'jsonl' },
    'records:import': { kind: 'interactions', format: 'jsonl' },
    'pg:connect': { url: 'postgresql://postgres@localhost/bot', password: { from: 'file' } },
  };
  const input = structuredClone(base[channel] ?? {});
  const keys = at.split('.');
  // A repository destination's path sits in one kind of it: a folder, or an SFTP key file.
  const repository = (field: string | undefined) =>
    field === 'folder'
      ? { kind: 'local' }
      : { kind: 'sftp', host: 'nas', username: 'me', path: '/srv/tend' };
  if (channel.startsWith('repository:')) input.destination = repository(keys.at(-1));
  if (at.startsWith('settings.backup.repository.')) {
    input.settings = { backup: { repository: repository(keys.at(-1)) } };
  }
  let node = input;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
  return input;
}

/** A value the typed policy refuses for an access, on any Linux machine. */
const forbidden: Record<PathAccess, string> = {
  root: '/',
  'new-root': '/usr/tend-never',
  'read-file': '/etc/passwd',
  'read-folder': '/etc',
  'write-file': '/etc/tend-never.jsonl',
  'write-folder': '/etc/tend-never',
  destination: '/etc/tend-never',
  'backup-ref': '/etc/passwd',
};

/** What a picked folder is picked as, to give each access a handle of its own purpose. */
const purposeFor: Record<PathAccess, PickPurpose> = {
  root: 'open',
  'new-root': 'create',
  'read-file': 'import-file',
  'read-folder': 'import-folder',
  'write-file': 'export-file',
  'write-folder': 'export-folder',
  destination: 'destination',
  'backup-ref': 'import-file',
};

let base: string;
let engine: Engine;
let calls: Array<[string, unknown]>;
let recording: Handlers;
const savedHome = process.env.HOME;

beforeEach(async () => {
  base = tempDir();
  process.env.HOME = path.join(base, 'home');
  fs.mkdirSync(process.env.HOME);
  engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  calls = [];
  // Handlers that only record what reached them: the gate is what is under test.
  recording = new Proxy(engine.handlers, {
    get: (_target, channel: string) => async (input: unknown) => {
      calls.push([channel, input]);
      return {};
    },
  });
});

afterEach(async () => {
  await engine.close();
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
});

function send(channel: Channel, input: unknown, transport: PathTransport) {
  return engine.dispatch(channel, input, { handlers: recording, transport });
}

describe('every path field goes through the gate before its handler', () => {
  it.each(expectedPathFields.filter(([, , access]) => access !== 'root' && access !== 'new-root'))(
    'typed: %s %s refuses a system folder and a relative path, and the handler never runs',
    async (channel, at, access) => {
      // A relative backup reference is a backup id, looked up in the history by name.
      const relative = access === 'backup-ref' ? [] : ['relative/name.jsonl'];
      for (const value of [forbidden[access], ...relative]) {
        const result = await send(channel, inputFor(channel, at, value), 'typed');
        expect(result, value).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
      }
      expect(calls).toEqual([]);
    },
  );

  it.each(expectedPathFields)(
    'desktop: %s %s takes only a pick for its purpose, and hands the handler the path',
    async (channel, at, access) => {
      const folder = path.join(base, 'picked');
      fs.mkdirSync(folder, { recursive: true });
      // A path typed by the page, however harmless it looks, is not a pick.
      const pickedOther = engine.grants.grant(path.join(base, 'other'), 'export-folder');
      const typed = await send(channel, inputFor(channel, at, folder, pickedOther), 'desktop');
      expect(typed).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
      // A handle the picker never gave out, or gave for something else.
      const made = await send(
        channel,
        inputFor(channel, at, 'tend-picked:0123', pickedOther),
        'desktop',
      );
      expect(made).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
      const other = access === 'write-file' ? 'open' : 'export-file';
      const wrong = engine.grants.grant(folder, other);
      expect(
        await send(channel, inputFor(channel, at, wrong, pickedOther), 'desktop'),
      ).toMatchObject({
        ok: false,
        error: { code: 'PATH_NOT_ALLOWED' },
      });
      expect(calls).toEqual([]);
      // A pick for this purpose reaches the handler as the path it stands for.
      const target = access === 'write-file' ? path.join(folder, 'out.jsonl') : folder;
      const handle = engine.grants.grant(target, purposeFor[access]);
      const result = await send(channel, inputFor(channel, at, handle, pickedOther), 'desktop');
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
      expect(calls).toHaveLength(1);
      expect(JSON.stringify(calls[0]![1])).toContain(JSON.stringify(target));
      expect(JSON.stringify(calls[0]![1])).not.toContain('tend-picked:');
    },
  );

  it('typed: a handle only works in the desktop app', async () => {
    const handle = engine.grants.grant(path.join(base, 'x.jsonl'), 'export-file');
    expect(
      await send('records:export', inputFor('records:export', 'path', handle), 'typed'),
    ).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    expect(calls).toEqual([]);
  });

  it('typed: roots go through the root policy, before anything is written', async () => {
    for (const [channel, value] of [
      ['root:open', '/'],
      ['root:inspect', '/proc'],
      ['root:create', '/usr/tend-never'],
      ['demo:generate', '/'],
      ['root:open', process.env.HOME!],
    ] as const) {
      const result = await engine.dispatch(channel, { path: value });
      expect(result, `${channel} ${value}`).toMatchObject({
        ok: channel === 'root:inspect',
        ...(channel === 'root:inspect'
          ? { value: { refusal: expect.stringMatching(/system folder/) } }
          : { error: { code: 'ROOT_NOT_ALLOWED' } }),
      });
    }
    expect(fs.existsSync('/usr/tend-never')).toBe(false);
    expect(engine.rootPath).toBeNull();
  });

  it('typed: root:inspect of a refused folder lists none of its names', async () => {
    const ssh = path.join(process.env.HOME!, '.ssh');
    writeFile(path.join(ssh, 'id_ed25519'), 'secret');
    const result = await engine.dispatch('root:inspect', { path: ssh });
    expect(result).toMatchObject({
      ok: true,
      value: { refusal: expect.stringMatching(/keys or credentials/), topLevel: { names: [] } },
    });
    expect(JSON.stringify(result)).not.toContain('id_ed25519');
  });
});

describe('the typed rules at the edge', () => {
  it.each([
    ['the home’s .bashrc', (home: string) => path.join(home, '.bashrc')],
    ['a file in ~/.ssh', (home: string) => path.join(home, '.ssh', 'authorized_keys')],
    ['a file in ~/.config', (home: string) => path.join(home, '.config', 'autostart', 'x.desktop')],
    ['Tend’s own state', () => path.join(base, 'state', 'tend-state.json')],
  ])('records:export refuses %s', async (_name, target) => {
    const file = target(process.env.HOME!);
    const result = await send('records:export', inputFor('records:export', 'path', file), 'typed');
    expect(result).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    expect(calls).toEqual([]);
  });

  it('records:export replaces a file only when told, and never makes its folder', async () => {
    const existing = path.join(base, 'out', 'chats.jsonl');
    writeFile(existing, 'kept\n');
    const refused = await send(
      'records:export',
      inputFor('records:export', 'path', existing),
      'typed',
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'PATH_EXISTS' } });
    const missing = path.join(base, 'no', 'such', 'chats.jsonl');
    expect(
      await send('records:export', inputFor('records:export', 'path', missing), 'typed'),
    ).toMatchObject({ ok: false, error: { code: 'PATH_PARENT_MISSING' } });
    expect(calls).toEqual([]);
    const replace = { ...inputFor('records:export', 'path', existing), replace: true };
    expect(await send('records:export', replace, 'typed')).toMatchObject({ ok: true });
    expect(fs.readFileSync(existing, 'utf8')).toBe('kept\n');
    expect(fs.existsSync(path.join(base, 'no'))).toBe(false);
  });

  it('records:export never writes into the open data folder, even with replace', async () => {
    const root = path.join(base, 'root');
    await engine.call('root:create', { path: root });
    const db = path.join(root, 'local_data', 'internal_assistant', 'assistant.db');
    writeFile(db, 'SQLite format 3');
    const result = await send(
      'records:export',
      { ...inputFor('records:export', 'path', db), replace: true },
      'typed',
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED', message: expect.stringMatching(/inside the data folder/) },
    });
    expect(fs.readFileSync(db, 'utf8')).toBe('SQLite format 3');
    expect(calls).toEqual([]);
  });

  it('refuses a link that leads into a forbidden place', async () => {
    const link = path.join(base, 'innocent');
    fs.symlinkSync('/etc', link);
    const result = await send(
      'records:import',
      inputFor('records:import', 'path', path.join(link, 'passwd')),
      'typed',
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
  });

  it('refuses to read a pipe as a file', async () => {
    const fifo = path.join(base, 'pipe');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const result = await send('vectors:import', inputFor('vectors:import', 'file', fifo), 'typed');
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED', message: expect.stringMatching(/not a regular file/) },
    });
  });

  it('a destination or an export folder needs its parent; none is made', async () => {
    for (const [channel, at] of [
      ['backups:create', 'destination'],
      ['restore:export', 'target'],
      ['settings:set', 'settings.backup.destination'],
    ] as const) {
      const result = await send(
        channel,
        inputFor(channel, at, path.join(base, 'gone', 'backups')),
        'typed',
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'PATH_PARENT_MISSING' } });
    }
    expect(fs.existsSync(path.join(base, 'gone'))).toBe(false);
    expect(calls).toEqual([]);
  });
});
