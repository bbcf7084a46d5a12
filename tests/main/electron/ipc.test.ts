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
    saveAnswer: { canceled: false, filePath: '/picked/file' } as {
      canceled: boolean;
      filePath?: string;
    },
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
    showSaveDialog: (...args: unknown[]) => {
      electron.dialogCalls.push(args);
      return Promise.resolve(electron.saveAnswer);
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
  electron.dialogAnswer = { canceled: false, filePaths: ['/picked/folder'] };
  electron.saveAnswer = { canceled: false, filePath: '/picked/file' };
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

/** The person picks `folder` in the native dialog for `purpose`; answers the handle. */
async function pick(folder: string, purpose: string): Promise<string> {
  electron.dialogAnswer = { canceled: false, filePaths: [folder] };
  const picked = (await invoke('root:pick-folder', { purpose })) as {
    ok: true;
    value: { path: string; handle: string };
  };
  electron.dialogAnswer = { canceled: false, filePaths: ['/picked/folder'] };
  expect(picked.value.path).toBe(folder);
  return picked.value.handle;
}

describe('registerIpc', () => {
  it('handles every invoke channel of the contract', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(Object.keys(invokeChannels).sort());
  });

  it('passes a call from the app page to the engine with its input', async () => {
    const root = path.join(base, 'root');
    const result = await invoke('root:create', { path: await pick(root, 'create') });
    expect(result).toMatchObject({ ok: true, value: { path: root, hasAssistantDb: false } });
    // Tend's state went to its state folder; the new root holds only its layout.
    expect(fs.existsSync(path.join(root, '.tend'))).toBe(false);
    expect(fs.existsSync(path.join(base, 'state', 'roots', 'registry.json'))).toBe(true);
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
    await invoke('root:create', { path: await pick(root, 'create') });
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
      value: {
        path: '/picked/folder',
        handle: expect.stringMatching(/^tend-picked:[0-9a-f]{32}$/),
      },
    });
    expect(electron.dialogCalls).toHaveLength(1);
    expect(electron.dialogCalls[0]?.[0]).toBe(focused);
    expect(electron.dialogCalls[0]?.[1]).toMatchObject({ title: 'Open a data folder' });
  });

  it('shows the dialog on its own when no window is open', async () => {
    electron.dialogAnswer = { canceled: true, filePaths: [] };
    expect(await invoke('root:pick-folder', { purpose: 'destination' })).toEqual({
      ok: true,
      value: { path: null, handle: null },
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

describe('paths from the page (issue 20, through IPC)', () => {
  it('a typed path never reaches a handler; a picked one does, for its purpose only', async () => {
    const home = path.join(base, 'home');
    fs.mkdirSync(home);
    const bashrc = path.join(home, '.bashrc');
    fs.writeFileSync(bashrc, '# mine\n');
    const root = path.join(base, 'root');
    expect(await invoke('root:create', { path: root })).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED' },
    });
    expect(fs.existsSync(root)).toBe(false);
    expect(await invoke('root:create', { path: await pick(root, 'create') })).toMatchObject({
      ok: true,
    });

    // records:export to a file the page names: refused, whatever the file.
    for (const target of [bashrc, path.join(base, 'out.jsonl'), 'out.jsonl']) {
      expect(
        await invoke('records:export', { kind: 'collections', format: 'jsonl', path: target }),
      ).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    }
    // A handle the picker never gave out, and one given for another purpose.
    expect(
      await invoke('records:export', {
        kind: 'collections',
        format: 'jsonl',
        path: 'tend-picked:00000000000000000000000000000000',
      }),
    ).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    expect(
      await invoke('records:export', {
        kind: 'collections',
        format: 'jsonl',
        path: await pick(home, 'open'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    expect(fs.readFileSync(bashrc, 'utf8')).toBe('# mine\n');

    // The destination: typed, refused; picked, saved as the folder picked; then set up.
    const destination = path.join(base, 'backups');
    // A save is a patch of the fields it changes (any revision, as none is named).
    const withDestination = (value: string) => ({ settings: { backup: { destination: value } } });
    expect(await invoke('settings:set', withDestination(destination))).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED' },
    });
    const saved = await invoke(
      'settings:set',
      withDestination(await pick(destination, 'destination')),
    );
    expect(saved).toMatchObject({ ok: true, value: { backup: { destination } } });
    // Saving again with the destination as it is set needs no new pick.
    expect(await invoke('settings:set', withDestination(destination))).toMatchObject({ ok: true });
  });

  it('a file picked in the save dialog is the export target, with the dialog’s consent to replace', async () => {
    const root = path.join(base, 'root');
    await invoke('root:create', { path: await pick(root, 'create') });
    const target = path.join(base, 'export.jsonl');
    fs.writeFileSync(target, 'old\n');
    electron.saveAnswer = { canceled: false, filePath: target };
    const picked = (await invoke('root:pick-file', {
      purpose: 'export-file',
      holds: 'records',
      defaultName: 'collections.jsonl',
    })) as { value: { path: string; handle: string } };
    expect(picked.value.path).toBe(target);
    expect(electron.dialogCalls.at(-1)?.at(-1)).toMatchObject({
      defaultPath: 'collections.jsonl',
      properties: expect.arrayContaining(['showOverwriteConfirmation']),
    });
    const result = await invoke('records:export', {
      kind: 'collections',
      format: 'jsonl',
      path: picked.value.handle,
    });
    // The gate lets it through (the store may still say there is nothing to export yet).
    expect(result).not.toMatchObject({ error: { code: expect.stringMatching(/^PATH_/) } });
  });

  it('opening a folder picked in the dialog still goes through the root policy', async () => {
    const photos = path.join(base, 'photos');
    fs.mkdirSync(photos);
    fs.writeFileSync(path.join(photos, 'a.jpg'), 'jpg');
    const handle = await pick(photos, 'open');
    expect(await invoke('root:open', { path: handle })).toMatchObject({
      ok: false,
      error: { code: 'ROOT_NOT_ASSISTANT', details: { findings: { kind: 'unknown' } } },
    });
    expect(fs.readdirSync(photos)).toEqual(['a.jpg']);
    expect(await invoke('root:open', { path: handle, adopt: true })).toMatchObject({ ok: true });
    expect(engine.rootPath).toBe(photos);
    expect(await invoke('root:open', { path: await pick('/', 'open') })).toMatchObject({
      ok: false,
      error: { code: 'ROOT_NOT_ALLOWED' },
    });
  });
});
