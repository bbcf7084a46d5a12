/**
 * The four categories of data and what a person reads for each, without zod: the command line
 * formats with them in code that `tend --help` loads. `categories.ts` adds the schema.
 */

/** The four kinds of data in a root, from most to least precious (DESIGN §3). */
export const categories = ['irreplaceable', 'rebuildable', 'redownloadable', 'disposable'] as const;

/** A category of data. */
export type Category = (typeof categories)[number];

/** What a person reads for each category, and what Tend does with it. */
export const categoryInfo: Readonly<
  Record<Category, { label: string; description: string; colour: string }>
> = {
  irreplaceable: {
    label: 'Irreplaceable',
    description: 'Your documents, the assistant database and its settings. Always backed up.',
    colour: '#2563eb',
  },
  rebuildable: {
    label: 'Rebuildable',
    description: 'Vector indexes, derived from the database. Backed up so restores are fast.',
    colour: '#16a34a',
  },
  redownloadable: {
    label: 'Re-downloadable',
    description: 'Model files and the model cache. In full backups only.',
    colour: '#d97706',
  },
  disposable: {
    label: 'Disposable',
    description: 'Caches, logs, temporary files and stale locks. Never backed up.',
    colour: '#9ca3af',
  },
};
