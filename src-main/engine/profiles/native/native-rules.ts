import type { CategoryRule } from '../../root/category-rules';

/**
 * The native profile's category rules, from the seed documents' layout (DESIGN §3).
 *
 * Order matters. What a person uploaded or configured comes first and is theirs whatever it
 * is called; custom models are irreplaceable although they sit under models/. Disposable
 * files are only what the layout's own disposable places hold (its logs, its cache, the index
 * writer's temporary and lock files, the assistant's temporary uploads), never a name pattern
 * matched anywhere in the tree: a `tmp/` folder or a `*.log` file elsewhere may be anyone's.
 * Anything unknown is irreplaceable, because guessing "disposable" wrong loses data.
 */
export const nativeCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: 'local_data/internal_assistant/documents/**', category: 'irreplaceable' },
  { glob: 'config/**', category: 'irreplaceable' },
  // The old layout's uploads are documents too, whatever their names (server.log, draft.tmp).
  { glob: 'data/uploads/**', category: 'irreplaceable' },
  { glob: 'local_data/models/custom/**', category: 'irreplaceable' },
  {
    glob: 'local_data/internal_assistant/vector_store/*/{.lock,*.lock}',
    category: 'disposable',
    cleanup: { kind: 'locks', place: 'vector_store/<collection>/ (index locks)' },
  },
  {
    glob: 'local_data/internal_assistant/vector_store/*/*.{tmp,partial}',
    category: 'disposable',
    cleanup: {
      kind: 'temp',
      place: "vector_store/<collection>/ (the index writer's temporary files)",
    },
  },
  {
    glob: 'local_data/internal_assistant/upload_*.tmp',
    category: 'disposable',
    cleanup: { kind: 'temp', place: "internal_assistant/ (the assistant's temporary uploads)" },
  },
  {
    glob: 'local_data/cache/**/*.tmp',
    category: 'disposable',
    cleanup: { kind: 'temp', place: 'local_data/cache/' },
  },
  {
    glob: 'local_data/cache/**',
    category: 'disposable',
    cleanup: { kind: 'cache', place: 'local_data/cache/' },
  },
  {
    glob: 'local_data/logs/**',
    category: 'disposable',
    cleanup: { kind: 'logs', place: 'local_data/logs/' },
  },
  {
    glob: 'data/logs/**',
    category: 'disposable',
    cleanup: { kind: 'logs', place: "data/logs/ (the old layout's logs)" },
  },
  { glob: 'local_data/internal_assistant/vector_store/**', category: 'rebuildable' },
  { glob: 'local_data/models/**', category: 'redownloadable' },
  { glob: 'local_data/internal_assistant/**', category: 'irreplaceable' },
  { glob: 'data/**', category: 'irreplaceable' },
  { glob: '**', category: 'irreplaceable' },
];
