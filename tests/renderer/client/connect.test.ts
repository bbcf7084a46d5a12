import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectClient } from '../../../src-renderer/src/client/connect';
import { TOKEN_STORAGE_KEY } from '../../../src-renderer/src/client/token';
import type { TendClient } from '../../../src-shared/client';

/** A window with an address, sessionStorage and history; `tend` only when a preload ran. */
function fakeWindow(href: string, tend?: TendClient) {
  const storage = new Map<string, string>();
  const location = { href };
  const win = {
    tend,
    location,
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    },
    history: {
      state: null,
      replaceState: (_state: unknown, _unused: string, url: string) => {
        location.href = new URL(url, location.href).href;
      },
    },
  };
  return { win: win as unknown as Window, storage, location };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('connectClient', () => {
  it('uses the preload client in the desktop app and leaves the address alone', () => {
    const preload: TendClient = {
      invoke: () => Promise.reject(new Error('not called')),
      on: () => () => undefined,
    };
    const { win, location, storage } = fakeWindow('file:///app/index.html?token=x', preload);
    expect(connectClient(win)).toBe(preload);
    expect(location.href).toBe('file:///app/index.html?token=x');
    expect(storage.size).toBe(0);
  });

  it('falls back to the HTTP client under tend serve, taking the token from the address', () => {
    const { win, location, storage } = fakeWindow('http://127.0.0.1:4000/?token=secret#settings');
    connectClient(win);
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('secret');
    expect(location.href).toBe('http://127.0.0.1:4000/#settings');
  });

  it('the HTTP client carries the token it took on every call', async () => {
    const sent: Array<[string, Record<string, string>]> = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      sent.push([url, init.headers as Record<string, string>]);
      return new Response(
        JSON.stringify({ ok: false, error: { code: 'NO_ROOT', message: 'none' } }),
      );
    });
    const { win } = fakeWindow('http://127.0.0.1:4000/?token=secret');
    const result = await connectClient(win).invoke('root:info', {});
    expect(result).toEqual({ ok: false, error: { code: 'NO_ROOT', message: 'none' } });
    expect(sent).toEqual([
      ['/api/root:info', expect.objectContaining({ 'x-tend-token': 'secret' })],
    ]);
  });
});
