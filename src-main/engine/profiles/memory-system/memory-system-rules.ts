import type { CategoryRule } from '../../root/category-rules';

/**
 * The memory system's category rules (seed 001).
 *
 * Its memories, its Chroma embeddings and its certificates are the person's. The search
 * indexes are derived from the memories ("for performance") and rebuildable. The system's own
 * backups are kept as they are: it prunes them itself ("Retains last 7 backups
 * automatically"), and they are the person's way back without Tend. Only the logs are
 * disposable ("Excludes: logs, temporary files" from its own backups).
 */
export const memorySystemCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: 'data/memories/**', category: 'irreplaceable' },
  { glob: 'data/embeddings/**', category: 'irreplaceable' },
  { glob: 'backups/**', category: 'irreplaceable' },
  { glob: 'ssl/**', category: 'irreplaceable' },
  {
    glob: 'data/logs/**',
    category: 'disposable',
    cleanup: { kind: 'logs', place: 'data/logs/' },
  },
  {
    glob: 'logs/**',
    category: 'disposable',
    cleanup: { kind: 'logs', place: 'logs/ (the container’s log mount)' },
  },
  { glob: 'data/indexes/**', category: 'rebuildable' },
  { glob: '**', category: 'irreplaceable' },
];
