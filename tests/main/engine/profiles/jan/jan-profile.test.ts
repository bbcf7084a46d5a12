/**
 * The Jan profile (issue 14 item 7): detected on its demo and on nothing else, its rules
 * (models redownloadable, extensions/ and logs/ disposable), the data folder per system and
 * its vector databases found outside a moved folder, a thread.json cut short and a message
 * line cut off named with what to do, and a backup restored exactly, whole and one thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileInfoSchema } from '../../../../../src-shared/models/profiles';
import { janProfile } from '../../../../../src-main/engine/profiles/jan/jan-profile';
import { threadOf } from '../../../../../src-main/engine/profiles/jan/jan-scopes';
import { messageLineFindings } from '../../../../../src-main/engine/profiles/jan/jan-stores';
import {
  janVectorDbFolder,
  janVectorDbsOutside,
  systemDataDir,
  threadOfCollection,
  type JanSystem,
} from '../../../../../src-main/engine/profiles/jan/jan-vector-dbs';
import { describeProfile, detectProfile } from '../../../../../src-main/engine/profiles/registry';
import { categorizerFor } from '../../../../../src-main/engine/root/category-rules';
import { tempDir, writeFile } from '../../../../support/temp-dir';
import { demoTemplate } from '../../restore/support/demo-fixture';
import {
  appDemo,
  appDemoPerTest,
  backUp,
  fingerprint,
  homeLikeFolder,
  restore,
  storeChecks,
  whileRunning,
} from '../app-profiles-support';

const janDemo = appDemoPerTest('jan');

const threadsOf = (root: string) => fs.readdirSync(path.join(root, 'threads')).sort();

describe('the Jan profile', () => {
  it('is described for the UI and --json: threads as its scope, where its folder is and how it moves', () => {
    const info = ProfileInfoSchema.parse(describeProfile(janProfile));
    expect(info.stores.map((store) => [store.id, store.kind, store.category])).toEqual([
      ['threads', 'json-store', 'irreplaceable'],
      ['assistants', 'json-store', 'irreplaceable'],
    ]);
    expect(info.scopes.map((scope) => scope.plural)).toEqual(['threads']);
    expect(info.dataLocation).toMatchObject([
      { kind: 'env', variable: 'JAN_DATA_FOLDER' },
      { kind: 'settings-file', key: 'data_folder' },
    ]);
    expect(info.dataLocation[0]!.note).toContain('~/.local/share/Jan/data');
  });

  it('detects its demo, and never a home folder, an empty folder, a native folder or a bare threads/', async () => {
    const { root } = await janDemo();
    expect((await detectProfile(root)).detected).toBe('jan');
    expect((await detectProfile(homeLikeFolder())).detected).toBeNull();
    expect((await detectProfile(tempDir())).detected).toBeNull();
    expect((await detectProfile(await demoTemplate())).detected).toBe('native');
    const threadsOnly = tempDir();
    fs.mkdirSync(path.join(threadsOnly, 'threads'));
    expect((await detectProfile(threadsOnly)).detected).toBeNull();
  });

  it.each([
    ['threads/t1/thread.json', 'irreplaceable'],
    ['threads/t1/messages.jsonl', 'irreplaceable'],
    ['assistants/jan/assistant.json', 'irreplaceable'],
    ['db/attachments_t1.db', 'irreplaceable'],
    ['models/llama3/model.json', 'redownloadable'],
    ['llamacpp/models/Llama-3.2-1B/model.gguf', 'redownloadable'],
    ['llamacpp/backends/b6000/linux-avx2/llama-server', 'redownloadable'],
    ['extensions/@janhq/x/dist/index.js', 'disposable'],
    ['logs/app.log', 'disposable'],
    ['mcp_config.json', 'irreplaceable'],
  ])('%s is %s', (relative, category) => {
    expect(categorizerFor(janProfile.categoryRules)(relative)).toBe(category);
  });

  it.each([
    [{ platform: 'linux', home: '/home/ada', env: {} }, '/home/ada/.local/share'],
    [{ platform: 'linux', home: '/home/ada', env: { XDG_DATA_HOME: '/data/xdg' } }, '/data/xdg'],
    [
      { platform: 'linux', home: '/home/ada', env: { XDG_DATA_HOME: 'relative' } },
      '/home/ada/.local/share',
    ],
    [{ platform: 'darwin', home: '/Users/ada', env: {} }, '/Users/ada/Library/Application Support'],
    [
      {
        platform: 'win32',
        home: 'C:\\Users\\ada',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
      },
      'C:\\Users\\ada\\AppData\\Roaming',
    ],
  ] as Array<[JanSystem, string]>)('the system data folder of %j is %s', (system, expected) => {
    expect(systemDataDir(system)).toBe(expected);
  });

  it('keeps its vector databases in the default place: listed when the data folder moved, not when it did not', async () => {
    expect(janVectorDbFolder({ platform: 'linux', home: '/home/ada', env: {} })).toBe(
      '/home/ada/.local/share/Jan/data/db',
    );
    expect(threadOfCollection('attachments_abc-1.db')).toBe('abc-1');
    expect(threadOfCollection('memory.db')).toBeNull();
    const home = tempDir('tend-jan-home-');
    const system: JanSystem = { platform: 'linux', home, env: {} };
    const defaultData = path.join(home, '.local/share/Jan/data');
    writeFile(path.join(defaultData, 'db/attachments_t1.db'), Buffer.alloc(8192, 1));
    writeFile(path.join(defaultData, 'db/memory.db'), Buffer.alloc(4096, 1));
    writeFile(path.join(defaultData, 'db/notes.txt'), 'not a database');
    // Not moved: the databases are the root's own db/.
    expect(await janVectorDbsOutside(defaultData, system)).toEqual([]);
    // Moved to another disk with JAN_DATA_FOLDER: they stayed behind.
    const moved = tempDir('tend-jan-moved-');
    const outside = await janVectorDbsOutside(moved, system);
    expect(outside.map((place) => [place.path, place.bytes, place.category])).toEqual([
      [path.join(defaultData, 'db/attachments_t1.db'), 8192, 'irreplaceable'],
      [path.join(defaultData, 'db/memory.db'), 4096, 'irreplaceable'],
    ]);
    expect(outside[0]!.what).toContain('thread t1');
    expect(outside[0]!.why).toMatch(/move them along/);
    // No Jan on this system at all.
    expect(await janVectorDbsOutside(moved, { ...system, home: tempDir() })).toEqual([]);
    expect(janProfile.outsideRoot).toBeTypeOf('function');
  });

  it.each([
    ['{"a":1}\n{"b":2}\n', []],
    ['{"a":1}\n{"b":2}', []],
    ['{"a":1}\n{"b":', [['JSON_TRUNCATED', /last message .*\(line 2\)/]]],
    ['{"a":1}\nnot json\n{"b":2}\n', [['JSON_INVALID', /Line 2/]]],
  ] as Array<[string, Array<[string, RegExp]>]>)('messages %j give %j', (text, expected) => {
    const found = messageLineFindings(text, 'threads/t/messages.jsonl');
    expect(found.map((f) => f.code)).toEqual(expected.map(([code]) => code));
    found.forEach((finding, i) => expect(finding.message).toMatch(expected[i]![1]));
  });

  it.each([
    ['threads/abc/thread.json', 'abc'],
    ['threads/abc', 'abc'],
    ['threads/', null],
    ['assistants/jan/assistant.json', null],
  ])('the thread of %s is %s', (relative, id) => {
    expect(threadOf(relative)).toBe(id);
  });

  it('names a thread.json cut short and a message cut off, with what to do, and restores everything exactly', async () => {
    const { root, engine } = await janDemo();
    const before = fingerprint(root);
    const backup = await backUp(engine, 'full');
    const [first, second] = threadsOf(root);
    const threadFile = path.join(root, 'threads', first!, 'thread.json');
    fs.truncateSync(threadFile, Math.floor(fs.statSync(threadFile).size / 2));
    const messages = path.join(root, 'threads', second!, 'messages.jsonl');
    fs.truncateSync(messages, fs.statSync(messages).size - 20);

    const checks = await storeChecks(janProfile, root, 'threads');
    const cut = checks.get(`threads/${first}`)!;
    expect(cut.ok).toBe(false);
    expect(cut.findings).toMatchObject([
      { code: 'JSON_TRUNCATED', path: `threads/${first}/thread.json` },
    ]);
    expect(cut.findings[0]!.action).toContain(`Restore threads/${first}/thread.json from a backup`);
    expect(checks.get(`threads/${second}`)!.findings).toMatchObject([
      { code: 'JSON_TRUNCATED', path: `threads/${second}/messages.jsonl` },
    ]);
    expect([...checks.values()].filter((check) => !check.ok)).toHaveLength(2);

    const report = await restore(engine, backup.id);
    expect(
      report.checks.every((check) => check.ok),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(fingerprint(root)).toEqual(before);
    const plan = await whileRunning('Jan', () =>
      engine.call('restore:plan', { backup: backup.id, scope: { kind: 'everything' } }),
    );
    expect(plan.refusals).toContainEqual({
      code: 'RESTORE_ASSISTANT_RUNNING',
      message: 'Jan is running (its process Jan is). Stop Jan, then restore.',
    });
  });

  it('restores one thread and leaves the others as they are now', async () => {
    const { root, engine } = await janDemo();
    const backup = await backUp(engine, 'critical');
    const [lost, other] = threadsOf(root);
    const lostBefore = fingerprint(path.join(root, 'threads', lost!));
    fs.rmSync(path.join(root, 'threads', lost!), { recursive: true });
    fs.appendFileSync(path.join(root, 'threads', other!, 'messages.jsonl'), '{"id":"new"}\n');
    const otherNow = fingerprint(path.join(root, 'threads', other!));
    const items = await janProfile.scopes[0]!.list(root);
    expect(items.map((item) => item.id)).not.toContain(lost);

    const report = await restore(engine, backup.id, { kind: 'scope', scope: 'thread', id: lost });
    expect(
      report.checks.every((check) => check.ok),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(fingerprint(path.join(root, 'threads', lost!))).toEqual(lostBefore);
    expect(fingerprint(path.join(root, 'threads', other!))).toEqual(otherNow);
  });

  it('the same seed writes the same data', async () => {
    const first = await appDemo('jan', 7);
    const second = await appDemo('jan', 7);
    try {
      const content = (root: string) =>
        fingerprint(root)
          .filter((line) => !/ lancedb\//.test(line))
          .map((line) => line.replace(/ mtime=\S+/, ''));
      expect(content(first.root)).toEqual(content(second.root));
    } finally {
      await first.engine.close();
      await second.engine.close();
    }
  });
});
