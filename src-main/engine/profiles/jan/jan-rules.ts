import type { CategoryRule } from '../../root/category-rules';
import { janPaths as p } from './jan-paths';

/**
 * Jan's category rules (issue 14 item 7): threads, assistants and the vector databases are the
 * person's; models (and the llama.cpp backends) can be downloaded again; extensions/ (Jan puts
 * them back at start) and logs/ are disposable. Anything else is kept.
 */
export const janCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: `${p.threads}/**`, category: 'irreplaceable' },
  { glob: `${p.assistants}/**`, category: 'irreplaceable' },
  { glob: `${p.vectorDbs}/**`, category: 'irreplaceable' },
  {
    glob: `${p.extensions}/**`,
    category: 'disposable',
    cleanup: { kind: 'cache', place: 'extensions/ (Jan installs them again at start)' },
  },
  {
    glob: `${p.logs}/**`,
    category: 'disposable',
    cleanup: { kind: 'logs', place: 'logs/ (Jan’s logs)' },
  },
  { glob: `${p.models}/**`, category: 'redownloadable' },
  { glob: `${p.llamacppModels}/**`, category: 'redownloadable' },
  { glob: `${p.llamacppBackends}/**`, category: 'redownloadable' },
  { glob: '**', category: 'irreplaceable' },
];
