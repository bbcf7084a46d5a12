import type { CategoryRule } from '../../root/category-rules';
import { openWebuiPaths as p } from './open-webui-paths';

/**
 * Open WebUI's category rules (stores/layouts/open-webui.ts cites each place).
 *
 * What people made comes first: webui.db (users, chats, files, knowledge), the uploads and the
 * Chroma store of their embeddings. The downloaded models under cache/ can be fetched again;
 * the rest of cache/ (generated speech and images, tokenizer files) and the audit log are
 * disposable. An upload no file row names is still irreplaceable here: it is reported as an
 * orphan with its size (open-webui-stores.ts), and only a person removes it.
 */
export const openWebuiCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: `${p.uploads}/**`, category: 'irreplaceable' },
  { glob: `${p.webuiDb}{,-wal,-shm,-journal}`, category: 'irreplaceable' },
  { glob: `${p.vectorDb}/**`, category: 'irreplaceable' },
  { glob: `${p.embeddingModels}/**`, category: 'redownloadable' },
  { glob: `${p.whisperModels}/**`, category: 'redownloadable' },
  {
    glob: `${p.cache}/{audio,image,tiktoken}/**`,
    category: 'disposable',
    cleanup: { kind: 'cache', place: 'cache/ (generated speech and images, tokenizer files)' },
  },
  {
    glob: '{audit.log,audit.*.log}',
    category: 'disposable',
    cleanup: {
      kind: 'logs',
      place: 'audit.log (Open WebUI’s audit log and the files loguru rotates it into)',
    },
  },
  { glob: '**', category: 'irreplaceable' },
];
