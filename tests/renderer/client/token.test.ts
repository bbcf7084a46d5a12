import { describe, expect, it } from 'vitest';
import {
  TOKEN_STORAGE_KEY,
  takeToken,
  type TokenEnvironment,
} from '../../../src-renderer/src/client/token';

/** A tab: an address, sessionStorage and history that replaceState really changes. */
function tab(href: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const replaced: Array<{ state: unknown; url: string }> = [];
  const location = { href };
  const env: TokenEnvironment = {
    location,
    storage: {
      getItem: (key) => storage.get(key) ?? null,
      setItem: (key, value) => void storage.set(key, value),
    },
    history: {
      state: { page: 'kept' },
      replaceState(state: unknown, _unused: string, url?: string | URL | null) {
        replaced.push({ state, url: String(url) });
        location.href = new URL(String(url), location.href).href;
      },
    },
  };
  return { env, storage, replaced, location };
}

describe('takeToken', () => {
  it('takes the token from the address and keeps it for the tab', () => {
    const { env, storage } = tab('http://127.0.0.1:4000/?token=abc123');
    expect(takeToken(env)).toBe('abc123');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
  });

  it('removes only the token from the address, keeping path, other parameters, hash and state', () => {
    const { env, replaced, location } = tab(
      'http://127.0.0.1:4000/app/?a=1&token=abc&b=2#settings',
    );
    takeToken(env);
    expect(replaced).toEqual([{ state: { page: 'kept' }, url: '/app/?a=1&b=2#settings' }]);
    expect(location.href).toBe('http://127.0.0.1:4000/app/?a=1&b=2#settings');
  });

  it('leaves a clean address without a question mark', () => {
    const { env, location } = tab('http://127.0.0.1:4000/?token=abc#overview');
    takeToken(env);
    expect(location.href).toBe('http://127.0.0.1:4000/#overview');
  });

  it('reuses the kept token after a reload, touching nothing', () => {
    const { env, replaced } = tab('http://127.0.0.1:4000/#settings', {
      [TOKEN_STORAGE_KEY]: 'kept',
    });
    expect(takeToken(env)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('a reload after taking it gives the same token', () => {
    const first = tab('http://127.0.0.1:4000/?token=abc');
    takeToken(first.env);
    const reload = tab(first.location.href, Object.fromEntries(first.storage));
    expect(reload.location.href).not.toContain('token');
    expect(takeToken(reload.env)).toBe('abc');
  });

  it('a new token in the address replaces the kept one (tend serve restarted)', () => {
    const { env, storage } = tab('http://127.0.0.1:4000/?token=new', {
      [TOKEN_STORAGE_KEY]: 'old',
    });
    expect(takeToken(env)).toBe('new');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('decodes an encoded token', () => {
    const { env } = tab('http://127.0.0.1:4000/?token=a%2Bb%3D');
    expect(takeToken(env)).toBe('a+b=');
  });

  it.each([
    'http://127.0.0.1:4000/',
    'http://127.0.0.1:4000/?token=',
    'http://127.0.0.1:4000/?other=1',
  ])('gives null for %s with nothing kept', (href) => {
    const { env, storage } = tab(href);
    expect(takeToken(env)).toBeNull();
    expect(storage.size).toBe(0);
  });
});
