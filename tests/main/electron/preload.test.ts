import { describe, expect, it, vi } from 'vitest';
import type { JobRecord } from '../../../src-shared/models/jobs';

// The preload exposes its bridge when it loads; Electron itself is the one thing faked here.
const exposed = vi.hoisted(() => [] as Array<[string, unknown]>);
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]),
  },
  ipcRenderer: { invoke: () => undefined, on: () => undefined, removeListener: () => undefined },
}));

const { createTendBridge } = await import('../../../src-main/electron/preload');
type IpcRendererLike = Parameters<typeof createTendBridge>[0];

type IpcListener = (event: unknown, ...args: unknown[]) => void;

/** An ipcRenderer that records calls and delivers what a test sends. */
function fakeIpc() {
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<IpcListener>>();
  const ipc = {
    invoke: (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return Promise.resolve({ ok: true, value: { from: 'main', channel } });
    },
    on(channel: string, listener: IpcListener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return ipc;
    },
    removeListener(channel: string, listener: IpcListener) {
      listeners.get(channel)?.delete(listener);
      return ipc;
    },
  };
  const send = (channel: string, payload: unknown) => {
    const event = { sender: 'the ipc event', ports: [] };
    for (const listener of listeners.get(channel) ?? []) listener(event, payload);
  };
  const count = (channel: string) => listeners.get(channel)?.size ?? 0;
  return { ipc: ipc as unknown as IpcRendererLike, invoked, send, count };
}

describe('the preload', () => {
  it('exposes the bridge as window.tend, and nothing else', () => {
    expect(exposed.map(([key]) => key)).toEqual(['tend']);
    const api = exposed[0]?.[1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });
});

describe('createTendBridge', () => {
  it('passes a contract channel and its input to ipc', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createTendBridge(ipc);
    const result = await bridge.invoke('root:open', { path: '/data' });
    expect(invoked).toEqual([['root:open', { path: '/data' }]]);
    expect(result).toEqual({ ok: true, value: { from: 'main', channel: 'root:open' } });
  });

  it.each<[string, unknown]>([
    ['an unknown name', 'root:delete-everything'],
    ['a prototype key', '__proto__'],
    ['toString', 'toString'],
    ['an event name', 'job:progress'],
    ['a number', 42],
    ['an object', { toString: () => 'root:info' }],
  ])('refuses %s without calling ipc', async (_name, channel) => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createTendBridge(ipc);
    const result = await bridge.invoke(channel as 'root:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(invoked).toEqual([]);
  });

  it('forwards only the payload of an event, never the ipc event', () => {
    const { ipc, send } = fakeIpc();
    const bridge = createTendBridge(ipc);
    const seen: unknown[][] = [];
    bridge.on('job:finished', (...args: unknown[]) => seen.push(args));
    const job = { id: 'j1' } as JobRecord;
    send('job:finished', job);
    send('job:progress', { id: 'other' });
    expect(seen).toEqual([[job]]);
  });

  it('unsubscribe removes the listener from ipc', () => {
    const { ipc, send, count } = fakeIpc();
    const bridge = createTendBridge(ipc);
    const seen: unknown[] = [];
    const off = bridge.on('root:changed', (info) => seen.push(info));
    const other = bridge.on('root:changed', () => undefined);
    expect(count('root:changed')).toBe(2);
    off();
    expect(count('root:changed')).toBe(1);
    send('root:changed', { path: '/x' });
    expect(seen).toEqual([]);
    other();
    expect(count('root:changed')).toBe(0);
  });

  it.each<[string, unknown]>([
    ['an unknown event', 'job:everything'],
    ['an invoke channel', 'root:info'],
    ['a prototype key', 'constructor'],
    ['a number', 7],
  ])('refuses to listen to %s', (_name, event) => {
    const { ipc, count } = fakeIpc();
    const bridge = createTendBridge(ipc);
    expect(() => bridge.on(event as 'job:progress', () => undefined)).toThrow(TypeError);
    expect(count(String(event))).toBe(0);
  });

  it('refuses a listener that is not a function', () => {
    const { ipc, count } = fakeIpc();
    const bridge = createTendBridge(ipc);
    expect(() => bridge.on('job:progress', 'alert(1)' as never)).toThrow(TypeError);
    expect(count('job:progress')).toBe(0);
  });
});
