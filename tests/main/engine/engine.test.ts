import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';
import { stateOfRoot } from '../../support/root-state';
import { tempDir, writeFile } from '../../support/temp-dir';

async function engineWithRoot() {
  const base = tempDir();
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:create', { path: path.join(base, 'root') });
  return { base, engine, root: path.join(base, 'root') };
}

describe('Engine handlers', () => {
  it('answers NO_ROOT until a root is chosen', async () => {
    const base = tempDir();
    const engine = await Engine.start({ appStateDir: base, root: null });
    expect(await engine.dispatch('root:info', {})).toMatchObject({
      ok: false,
      error: { code: 'NO_ROOT' },
    });
    expect(await engine.dispatch('settings:get', {})).toMatchObject({ error: { code: 'NO_ROOT' } });
    await engine.close();
  });

  it('creates a root, remembers it, and a later engine opens it again', async () => {
    const { base, engine, root } = await engineWithRoot();
    const info = await engine.call('root:info');
    expect(info).toMatchObject({
      path: root,
      hasAssistantDb: false,
      hasLegacyData: false,
      lastBackup: null,
    });
    expect(info.disk.totalBytes).toBeGreaterThan(0);
    // Tend's state of the root is in its state folder, not in the root.
    const state = stateOfRoot(path.join(base, 'state'), root);
    expect(info.stateDir).toBe(state.dir);
    expect(fs.existsSync(state.catalog)).toBe(true);
    expect(fs.existsSync(path.join(root, '.tend'))).toBe(false);
    await engine.close();
    const again = await Engine.start({ appStateDir: path.join(base, 'state') });
    expect(again.rootPath).toBe(root);
    expect((await again.call('root:recent')).paths).toEqual([root]);
    await again.close();
  });

  it('refuses bad input and unknown channels with codes', async () => {
    const { engine } = await engineWithRoot();
    expect(await engine.dispatch('root:open', { path: 42 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('path') },
    });
    expect(await engine.dispatch('root:open', { path: '/x', extra: true })).toMatchObject({
      error: { code: 'INVALID_INPUT' },
    });
    expect(await engine.dispatch('nope:never', {})).toMatchObject({
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(await engine.dispatch('jobs:get', { id: 'missing' })).toMatchObject({
      error: { code: 'JOB_NOT_FOUND' },
    });
    await engine.close();
  });

  it('refuses roots that are missing or files, and keeps the open one', async () => {
    const { base, engine, root } = await engineWithRoot();
    writeFile(path.join(base, 'a-file'), 'x');
    expect(await engine.dispatch('root:open', { path: path.join(base, 'missing') })).toMatchObject({
      error: { code: 'ROOT_NOT_FOUND' },
    });
    expect(await engine.dispatch('root:open', { path: path.join(base, 'a-file') })).toMatchObject({
      error: { code: 'ROOT_NOT_DIRECTORY' },
    });
    expect(engine.rootPath).toBe(root);
    expect(fs.existsSync(path.join(base, 'missing'))).toBe(false);
    await engine.close();
  });

  it('saves settings, emits the change, and reports a broken settings file by code', async () => {
    const { base, engine, root } = await engineWithRoot();
    const changes: number[] = [];
    engine.events.on('settings:changed', (settings) =>
      changes.push(settings.backup.retention.daily),
    );
    const settings = await engine.call('settings:get');
    settings.backup.retention.daily = 10;
    await engine.call('settings:set', { settings });
    expect((await engine.call('settings:get')).backup.retention.daily).toBe(10);
    expect(changes).toEqual([10]);

    fs.writeFileSync(stateOfRoot(path.join(base, 'state'), root).settings, '{"backup": ');
    expect(await engine.dispatch('settings:get', {})).toMatchObject({
      error: { code: 'SETTINGS_UNREADABLE' },
    });
    expect((await engine.dispatch('root:info', {})).ok).toBe(true);
    await engine.close();
  });

  it('saves a patch through the door, keeps what others saved, and refuses a stale one', async () => {
    const { engine } = await engineWithRoot();
    const seen = await engine.call('settings:get');
    // Someone else (the CLI, another window) saves first.
    await engine.call('settings:set', { settings: { backup: { retention: { daily: 2 } } } });
    const stale = await engine.dispatch('settings:set', {
      settings: { revision: seen.revision, cleanup: { logRetentionDays: 5 } },
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'SETTINGS_CONFLICT' } });
    const fresh = await engine.call('settings:get');
    const saved = await engine.call('settings:set', {
      settings: { revision: fresh.revision, cleanup: { logRetentionDays: 5 } },
    });
    expect(saved).toMatchObject({
      revision: 2,
      backup: { retention: { daily: 2 } },
      cleanup: { logRetentionDays: 5 },
    });
    expect(
      await engine.dispatch('settings:set', { settings: { backup: { nope: 1 } } }),
    ).toMatchObject({
      error: { code: 'INVALID_INPUT' },
    });
    await engine.close();
  });

  it('writes nothing outside the root and its state, and nothing of its own in the root', async () => {
    const { base, engine, root } = await engineWithRoot();
    const before = fs.readdirSync(base).sort();
    const inRoot = fs.readdirSync(root, { recursive: true }).sort();
    const settings = await engine.call('settings:get');
    await engine.call('settings:set', { settings });
    await engine.call('usage:summary');
    await engine.dispatch('root:open', { path: path.join(base, 'missing') });
    expect(fs.readdirSync(base).sort()).toEqual(before);
    expect(fs.readdirSync(root).sort()).toEqual(['config', 'local_data']);
    expect(fs.readdirSync(root, { recursive: true }).sort()).toEqual(inRoot);
    await engine.close();
  });
});
