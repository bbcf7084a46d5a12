import type { CategoryRule } from '../../root/category-rules';
import { postgresAppPaths as p } from './postgres-app-paths';

/**
 * The postgres-app profile's category rules (seed 003, "What Happens to Your Data During
 * Updates?"): uploads are the people's files (irreplaceable), logs are disposable, and the
 * Redis data is a cache the seed says may be cleared on any update: disposable, never backed
 * up, and with no cleanup of its own (Tend lists it; the app's Redis owns it).
 *
 * The database is not in the folder; its dump is what a backup holds (postgres-app-stores.ts).
 * Order matters: the first match wins, and anything unknown is irreplaceable.
 */
export const postgresAppCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: `${p.uploads}/**`, category: 'irreplaceable' },
  { glob: `${p.migrations}/**`, category: 'irreplaceable' },
  {
    glob: `${p.logs}/**`,
    category: 'disposable',
    cleanup: { kind: 'logs', place: `${p.logs}/` },
  },
  // Redis's RDB and AOF files: sessions and cached answers. Never backed up, never cleaned.
  { glob: `${p.redisData}/**`, category: 'disposable' },
  { glob: '**', category: 'irreplaceable' },
];
