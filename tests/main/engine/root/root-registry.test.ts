import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import {
  findRegistered,
  registerRoot,
  registeredRoots,
  relocateRegistered,
  stateDirOf,
} from '../../../../src-main/engine/root/root-registry';
import { tempDir, writeFile } from '../../../support/temp-dir';

/** A folder with the native layout's markers, and a state folder beside it. */
function nativeFolder(name = 'assistant') {
  const base = tempDir();
  const root = path.join(base, name);
  fs.mkdirSync(path.join(root, 'local_data/internal_assistant/documents'), { recursive: true });
  fs.mkdirSync(path.join(root, 'config'), { recursive: true });
  return { base, root, state: path.join(base, 'state') };
}

describe('the registry of data folders', () => {
  it('registers a folder once, by its path, and keeps its id', async () => {
    const { root, state } = nativeFolder();
    const first = await registerRoot(state, root, 'native');
    expect(first.stateDir).toBe(stateDirOf(state, first.entry.id));
    expect(first.movedFrom).toBeNull();
    const again = await registerRoot(state, root, 'native');
    expect(again.entry.id).toBe(first.entry.id);
    expect(await registeredRoots(state)).toHaveLength(1);
    expect(await findRegistered(state, root)).toMatchObject({
      how: 'path',
      entry: { id: first.entry.id },
    });
    // Nothing of Tend's was written into the folder.
    expect(fs.readdirSync(root).sort()).toEqual(['config', 'local_data']);
  });

  it('finds a folder renamed on the same filesystem by its inode, and says where it was', async () => {
    const { base, root, state } = nativeFolder();
    const first = await registerRoot(state, root, 'native');
    const moved = path.join(base, 'renamed');
    fs.renameSync(root, moved);
    expect(await findRegistered(state, moved)).toMatchObject({
      how: 'moved',
      entry: { id: first.entry.id, path: root },
    });
    const opened = await registerRoot(state, moved, 'native');
    expect(opened.entry.id).toBe(first.entry.id);
    expect(opened.movedFrom).toBe(root);
    expect(opened.entry).toMatchObject({ path: moved, movedFrom: { path: root } });
    // Found at its new path from now on; the move is still remembered.
    const later = await registerRoot(state, moved, 'native');
    expect(later.movedFrom).toBeNull();
    expect(later.entry.movedFrom).toMatchObject({ path: root });
    expect(await registeredRoots(state)).toHaveLength(1);
  });

  it('does not take a copy for the original: a copy is another folder', async () => {
    const { base, root, state } = nativeFolder();
    const first = await registerRoot(state, root, 'native');
    const copy = path.join(base, 'copy');
    fs.cpSync(root, copy, { recursive: true });
    expect(await findRegistered(state, copy)).toBeNull();
    const second = await registerRoot(state, copy, 'native');
    expect(second.entry.id).not.toBe(first.entry.id);
    expect(await registeredRoots(state)).toHaveLength(2);
  });

  it('follows a move Tend made to another disk: the copy keeps the id, a stale entry there goes', async () => {
    const { base, root, state } = nativeFolder();
    const first = await registerRoot(state, root, 'native');
    const target = path.join(base, 'other-disk');
    fs.cpSync(root, target, { recursive: true });
    // A folder once registered at the target's path, long gone.
    const stale = await registerRoot(state, target, 'native');
    expect(await registeredRoots(state)).toHaveLength(2);
    fs.rmSync(root, { recursive: true });

    const moved = await relocateRegistered(state, root, target);
    expect(moved).toMatchObject({ id: first.entry.id, path: target, movedFrom: { path: root } });
    expect(await findRegistered(state, target)).toMatchObject({
      how: 'path',
      entry: { id: first.entry.id },
    });
    const ids = (await registeredRoots(state)).map((entry) => entry.id);
    expect(ids).toEqual([first.entry.id]);
    expect(ids).not.toContain(stale.entry.id);
    // Nothing registered at a path: nothing to do.
    expect(await relocateRegistered(state, path.join(base, 'nowhere'), target)).toBeNull();
  });

  it('answers a damaged registry with a code and what to do, and a missing folder too', async () => {
    const { root, state } = nativeFolder();
    writeFile(path.join(state, 'roots/registry.json'), '{"version": 1, "roots": [');
    await expect(findRegistered(state, root)).rejects.toMatchObject({
      code: 'STATE_UNWRITABLE',
      message: expect.stringMatching(/is damaged .*Move it away/),
    });
    fs.rmSync(path.join(state, 'roots/registry.json'));
    await expect(registerRoot(state, path.join(root, 'missing'), 'native')).rejects.toMatchObject({
      code: 'ROOT_NOT_FOUND',
    });
  });
});

describe('the engine and the registry', () => {
  it('opens a renamed folder with its history and tells where it was', async () => {
    const { base, root, state } = nativeFolder();
    const engine = await Engine.start({ appStateDir: state, root });
    const before = await engine.call('root:info');
    expect(before.movedFrom).toBeNull();
    const settings = await engine.call('settings:get');
    await engine.call('settings:set', {
      settings: {
        ...settings,
        backup: { ...settings.backup, retention: { ...settings.backup.retention, daily: 11 } },
      },
    });
    await engine.close();

    const moved = path.join(base, 'assistant-renamed');
    fs.renameSync(root, moved);
    const again = await Engine.start({ appStateDir: state, root: moved });
    const info = await again.call('root:info');
    expect(info.path).toBe(moved);
    expect(info.stateDir).toBe(before.stateDir);
    expect(info.movedFrom).toMatchObject({ path: root });
    // Its settings came along: the same state folder.
    expect((await again.call('settings:get')).backup.retention.daily).toBe(11);
    expect(fs.readdirSync(moved).sort()).toEqual(['config', 'local_data']);
    await again.close();
  });

  it('counts a registered folder as managed before: inspect says so', async () => {
    const { root, state } = nativeFolder();
    const engine = await Engine.start({ appStateDir: state, root: null });
    expect((await engine.call('root:inspect', { path: root })).kind).not.toBe('managed');
    await engine.call('root:open', { path: root });
    expect((await engine.call('root:inspect', { path: root })).kind).toBe('managed');
    await engine.close();
  });

  it("refuses Tend's own state folder as a data folder", async () => {
    const { root, state } = nativeFolder();
    const engine = await Engine.start({ appStateDir: state, root });
    const stateDir = (await engine.call('root:info')).stateDir;
    const refused = await engine.dispatch('root:open', { path: stateDir });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'ROOT_NOT_ALLOWED',
        message: expect.stringMatching(/Tend's own state folder/),
      },
    });
    await engine.close();
  });
});
