import { describe, expect, it } from 'vitest';
import { pageFromHash, pageIds } from '../../../src-renderer/src/store/navigation-slice';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { fakeClient } from './fake-client';

describe('pageFromHash', () => {
  it.each(
    pageIds.flatMap((page) => [
      [`#${page}`, page],
      [`#/${page}`, page],
      [page, page],
    ]),
  )('%j names %s', (hash, page) => {
    expect(pageFromHash(hash)).toBe(page);
  });

  it.each([
    '',
    '#',
    '#/',
    '#nowhere',
    '#Settings',
    '#settings/extra',
    '#?settings',
    '#//settings',
    '#__proto__',
    '#constructor',
  ])('%j falls back to Overview', (hash) => {
    expect(pageFromHash(hash)).toBe('overview');
  });
});

describe('navigation slice', () => {
  it('starts on the page it is given, Overview by default, and navigates', () => {
    expect(createTendStore(fakeClient().client).getState().page).toBe('overview');
    const store = createTendStore(fakeClient().client, { initialPage: 'settings' });
    expect(store.getState().page).toBe('settings');
    store.getState().navigate('overview');
    expect(store.getState().page).toBe('overview');
  });

  it('has Overview and Settings, each once', () => {
    expect(pageIds).toContain('overview');
    expect(pageIds).toContain('settings');
    expect(new Set(pageIds).size).toBe(pageIds.length);
  });
});
