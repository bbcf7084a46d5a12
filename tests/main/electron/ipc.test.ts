import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';
import { invokeChannels } from '../../../src-shared/contract';
import { tempDir } from '../../support/temp-dir';

// Electron is the one thing faked: ipcMain keeps the handlers in a map, windows record sends.
const electron = vi.hoisted(() => {
  type Handler = (event: unknown, input: unknown) => unknown;
  class FakeWindow {
    sent: Array<[string, unknown]> = [];
    destroyed = false;
    webContents = {
      send: (channel: string, payload: unknown) => this.sent.push([channel, payload]),
    };
    isDestroyed() {
      return this.destroyed;
    }
  }
  const state = {
    handlers: new Map<string, Handler>(),
    removed: [] as string[],
    windows: [] as FakeWindow[],
    focused: null as FakeWindow | null,
    dialogCalls: [] as unknown[][],
    dialogAnswer: { canceled: false, filePaths: ['/picked/folder'] },
    FakeWindow,
  };
  return state;
});

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, input: unknown) => unknown) => {
      if (electron.handlers.has(channel)) throw new Error(`Second handler for ${channel}`);
      electron.handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => {
      electron.removed.push(channel);
      electron.handlers.delete(channel);
    },
  },
  BrowserWindow: {
    getAllWindows: () => electron.windows,
    getFocusedWindow: () => electron.focused,
  },
  dialog: {
    showOpenDialog: (...args: unknown[]) => {
      electron.dialogCalls.push(args);
      return Promise.resolve(electron.dialogAnswer);
    },
  },
}));

const { registerIpc } = await import('../../../src-main/electron/ipc');

const appUrl = 'file:///opt/tend/out/renderer/index.html';
const appFrame = { senderFrame: { url: `${appUrl}#/overview` } };

let engine: Engine;
let dispose: () => void;
let base: string;

beforeEach(async () => {
  electron.handlers.clear();
  electron.removed = [];
  electron.windows = [];
  electron.focused = null;
  electron.dialogCalls = [];
  base = tempDir();
  engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  dispose = registerIpc({ engine, appUrl });
});

afterEach(async () => {
  dispose();
  await engine.close();
});

function invoke(channel: string, input: unknown, event: unknown = appFrame) {
  const handler = electron.handlers.get(channel);
  if (!handler) throw new Error(`No handler for ${channel}`);
  return Promise.resolve(handler(event, input));
}

describe('registerIpc', () => {
  it('handles every invoke channel of the contract', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(Object.keys(invokeChannels).sort());
  });

  it('passes a call from the app page to the engine with its input', async () => {
    const root = path.join(base, 'root');
    const result = await invoke('root:create', { path: root });
    expect(result).toMatchObject({ ok: true, value: { path: root, hasAssistantDb: false } });
    expect(fs.existsSync(path.join(root, '.tend'))).toBe(true);
    expect(engine.rootPath).toBe(root);
  });

  it('answers with the engine Result when the engine refuses', async () => {
    expect(await invoke('root:info', {})).toMatchObject({ ok: false, error: { code: 'NO_ROOT' } });
    expect(await invoke('root:open', { path: 42 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it.each<[string, unknown]>([
    ['a foreign web page', { senderFrame: { url: 'https://evil.example/' } }],
    ['another local file', { senderFrame: { url: 'file:///tmp/evil.html' } }],
    [
      'a climb out of the app folder',
      { senderFrame: { url: 'file:///opt/tend/out/renderer/../x.html' } },
    ],
    ['an about:blank frame', { senderFrame: { url: 'about:blank' } }],
    ['a frame that is gone', { senderFrame: null }],
    ['an event without a frame', {}],
  ])(
    'refuses a call from %s with FORBIDDEN_ORIGIN and never reaches the engine',
    async (_name, event) => {
      const root = path.join(base, 'root');
      const result = await invoke('root:create', { path: root }, event);
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
      expect(fs.existsSync(root)).toBe(false);
      expect(engine.rootPath).toBeNull();
    },
  );

  it('sends every event to each live window', async () => {
    const a = new electron.FakeWindow();
    const b = new electron.FakeWindow();
    const gone = new electron.FakeWindow();
    gone.destroyed = true;
    electron.windows = [a, b, gone];
    const root = path.join(base, 'root');
    await invoke('root:create', { path: root });
    const rootChanged = (w: InstanceType<typeof electron.FakeWindow>) =>
      w.sent.filter(([name]) => name === 'root:changed');
    expect(rootChanged(a)).toEqual([['root:changed', expect.objectContaining({ path: root })]]);
    expect(rootChanged(b)).toEqual(rootChanged(a));
    expect(gone.sent).toEqual([]);
  });

  it('answers the folder picker with the native dialog, attached to the focused window', async () => {
    const focused = new electron.FakeWindow();
    electron.windows = [new electron.FakeWindow(), focused];
    electron.focused = focused;
    expect(await invoke('root:pick-folder', { purpose: 'open' })).toEqual({
      ok: true,
      value: { path: '/picked/folder' },
    });
    expect(electron.dialogCalls).toHaveLength(1);
    expect(electron.dialogCalls[0]?.[0]).toBe(focused);
    expect(electron.dialogCalls[0]?.[1]).toMatchObject({ title: 'Open a data folder' });
  });

  it('shows the dialog on its own when no window is open', async () => {
    electron.dialogAnswer = { canceled: true, filePaths: [] };
    expect(await invoke('root:pick-folder', { purpose: 'destination' })).toEqual({
      ok: true,
      value: { path: null },
    });
    expect(electron.dialogCalls[0]).toEqual([
      expect.objectContaining({ title: 'Choose a backup destination' }),
    ]);
    electron.dialogAnswer = { canceled: false, filePaths: ['/picked/folder'] };
  });

  it('checks the folder picker input and origin like any channel', async () => {
    expect(await invoke('root:pick-folder', { purpose: 'anything' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(
      await invoke(
        'root:pick-folder',
        { purpose: 'open' },
        { senderFrame: { url: 'https://x.y/' } },
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    expect(electron.dialogCalls).toEqual([]);
  });

  it('dispose removes every handler and stops forwarding events', async () => {
    const window = new electron.FakeWindow();
    electron.windows = [window];
    dispose();
    dispose = () => undefined;
    expect(electron.handlers.size).toBe(0);
    expect([...electron.removed].sort()).toEqual(Object.keys(invokeChannels).sort());
    await engine.call('root:create', { path: path.join(base, 'root') });
    expect(window.sent).toEqual([]);
  });
});
