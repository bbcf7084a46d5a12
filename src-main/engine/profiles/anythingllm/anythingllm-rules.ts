import type { CategoryRule } from '../../root/category-rules';
import { anythingLlmPaths as p } from './anythingllm-paths';

/**
 * AnythingLLM's category rules (stores/layouts/anythingllm.ts cites each place). The database,
 * the parsed documents, the LanceDB tables, the files attached to chats and the plugins are the
 * person's; vector-cache/ can be rebuilt by embedding the documents again; models/ is
 * downloaded; logs/ and tmp/ are disposable.
 */
export const anythingLlmCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: `${p.db}{,-journal,-wal,-shm}`, category: 'irreplaceable' },
  { glob: `${p.documents}/**`, category: 'irreplaceable' },
  { glob: `${p.directUploads}/**`, category: 'irreplaceable' },
  { glob: `${p.plugins}/**`, category: 'irreplaceable' },
  { glob: `${p.lancedb}/**`, category: 'irreplaceable' },
  {
    glob: `${p.logs}/**`,
    category: 'disposable',
    cleanup: { kind: 'logs', place: 'logs/ (AnythingLLM’s logs)' },
  },
  {
    glob: `${p.tmp}/**`,
    category: 'disposable',
    cleanup: { kind: 'temp', place: 'tmp/ (AnythingLLM’s temporary files)' },
  },
  { glob: `${p.vectorCache}/**`, category: 'rebuildable' },
  { glob: `${p.models}/**`, category: 'redownloadable' },
  { glob: '**', category: 'irreplaceable' },
];
