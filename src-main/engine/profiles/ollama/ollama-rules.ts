import type { CategoryRule } from '../../root/category-rules';

/**
 * Ollama's category rules (stores/layouts/ollama.ts; the file names from
 * stores/ollama-models/ollama-manifest.ts, which cites manifest/paths.go and server/download.go).
 *
 * Every finished model can be pulled again, so manifests and blobs are redownloadable.
 * Unfinished downloads (`<blob>-partial`, `<blob>-partial-<n>`) are disposable: a new pull
 * starts them over. A blob no manifest names is not found by a name pattern; the store's
 * check lists each one with its size (ollama-stores.ts). Anything else is someone's, kept.
 */
export const ollamaCategoryRules: ReadonlyArray<CategoryRule> = [
  {
    glob: 'blobs/sha256[-:]*-partial{,-+([0-9])}',
    category: 'disposable',
    cleanup: { kind: 'temp', place: 'blobs/ (downloads that did not finish)' },
  },
  { glob: 'blobs/sha256[-:]+([0-9a-fA-F])', category: 'redownloadable' },
  { glob: 'manifests/**', category: 'redownloadable' },
  { glob: '**', category: 'irreplaceable' },
];
