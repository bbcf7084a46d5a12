import type { CategoryRule } from '../../root/category-rules';

/**
 * The entity-scoped RAG API's category rules (seed 002).
 *
 * Everything under `data/` but the logs is the person's: the JSON stores, the uploads, and the
 * per-entity FAISS indexes, which hold the only copy of their vectors (the seed's "Missing FAISS
 * Index" answer is to re-upload the documents), so they are irreplaceable, not rebuildable.
 * Only `data/logs/` is disposable ("Application logs").
 */
export const entityRagCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: 'data/api_storage/**', category: 'irreplaceable' },
  { glob: 'data/uploads/**', category: 'irreplaceable' },
  { glob: 'data/entity_scoped/**', category: 'irreplaceable' },
  {
    glob: 'data/logs/**',
    category: 'disposable',
    cleanup: { kind: 'logs', place: 'data/logs/' },
  },
  { glob: '**', category: 'irreplaceable' },
];
