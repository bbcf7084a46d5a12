import type { CategoryRule } from '../../root/category-rules';

/**
 * The analytics system's category rules (seed 004). Each tier holds what the others no longer
 * do (the daily archival moves hot rows into monthly aggregates, and old data into compressed
 * archives), so every tier is irreplaceable; so are the system's own daily backups. Nothing in
 * its layout is disposable: it names no log or cache folder.
 */
export const analyticsCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: 'analytics/**', category: 'irreplaceable' },
  { glob: 'backups/**', category: 'irreplaceable' },
  { glob: '**', category: 'irreplaceable' },
];
