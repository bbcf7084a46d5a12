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
  'database',
  'indexes',
  'maintenance',
  'settings',
] as const;
export type PageId = (typeof pageIds)[number];

/**
 * Pages shown only for folders of some profiles: the Database page for a folder whose data
 * lives in PostgreSQL (seed 003). A page not listed is shown for every folder.
 */
const pageProfiles: Readonly<Partial<Record<PageId, ReadonlyArray<string>>>> = {
  database: ['postgres-app'],
};

/** Whether the sidebar shows a page for a folder of `profile` (null: no folder open). */
export function pageShownFor(page: PageId, profile: string | null): boolean {
  const only = pageProfiles[page];
  return only === undefined || (profile !== null && only.includes(profile));
}

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
