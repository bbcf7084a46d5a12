/** Which pages the sidebar shows for a folder: the Database page only for a postgres-app one. */
import { describe, expect, it } from 'vitest';
import { pageIds, pageShownFor } from '../../../src-renderer/src/store/navigation-slice';

describe('pageShownFor', () => {
  it.each([
    ['postgres-app', true],
    ['native', false],
    ['open-webui', false],
    [null, false],
  ] as const)('the Database page for a %s folder: %s', (profile, shown) => {
    expect(pageShownFor('database', profile)).toBe(shown);
  });

  it('shows every other page for every folder', () => {
    for (const id of pageIds.filter((page) => page !== 'database')) {
      expect(pageShownFor(id, 'native')).toBe(true);
      expect(pageShownFor(id, null)).toBe(true);
    }
  });
});
