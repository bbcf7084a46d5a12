import type { SliceCreator } from './slice';

/**
 * The pages of the sidebar, in order.
 *
 * Adding a page is one id here and one entry in ui/shell/pages.tsx (the compiler asks for it).
 */
export const pageIds = [
  'overview',
  'backups',
  'restore',
  'indexes',
  'maintenance',
  'settings',
] as const;
export type PageId = (typeof pageIds)[number];

/** Which page is shown. */
export interface NavigationSlice {
  page: PageId;
  navigate(page: PageId): void;
}

/** The page a location hash names (`#settings`), or Overview. */
export function pageFromHash(hash: string): PageId {
  const name = hash.replace(/^#\/?/, '');
  return (pageIds as ReadonlyArray<string>).includes(name) ? (name as PageId) : 'overview';
}

export function createNavigationSlice(initialPage: PageId): SliceCreator<NavigationSlice> {
  return (set) => ({
    page: initialPage,
    navigate: (page) => set({ page }),
  });
}
