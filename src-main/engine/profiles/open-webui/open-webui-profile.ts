/**
 * The Open WebUI profile: the `DATA_DIR` of Open WebUI (github.com/open-webui/open-webui; each
 * fact in stores/layouts/open-webui.ts with its source line).
 */
import { openWebuiLayout } from '../../stores/layouts/open-webui';
import type { Profile } from '../profile';
import { openWebuiDemo } from './open-webui-demo';
import { openWebuiPaths as p } from './open-webui-paths';
import { openWebuiCategoryRules } from './open-webui-rules';
import { openWebuiStores } from './open-webui-stores';

/** The Open WebUI profile's id. */
export const OPEN_WEBUI_PROFILE_ID = 'open-webui';

/** Open WebUI's data folder. */
export const openWebuiProfile: Profile = {
  id: OPEN_WEBUI_PROFILE_ID,
  name: 'Open WebUI',
  appName: 'Open WebUI',
  summary:
    'Open WebUI’s data folder (DATA_DIR): webui.db with users, chats, files and knowledge bases, the uploads, the Chroma store of their embeddings in vector_db/, downloaded models and caches under cache/, the audit log.',
  markers: [
    { path: p.webuiDb, what: 'Open WebUI’s database', shape: 'sqlite', weight: 0.9 },
    {
      path: `${p.vectorDb}/chroma.sqlite3`,
      what: 'the Chroma store of Open WebUI’s embeddings',
      shape: 'sqlite',
      weight: 0.5,
    },
    { path: `${p.uploads}/`, what: 'uploaded files', shape: 'folder', weight: 0.2 },
    {
      path: `${p.embeddingModels}/`,
      what: 'the embedding model cache',
      shape: 'folder',
      weight: 0.2,
    },
    // Too common a name to prove anything alone.
    { path: `${p.cache}/`, what: 'a cache folder', shape: 'folder', weight: 0 },
  ],
  paths: p,
  categoryRules: openWebuiCategoryRules,
  stores: openWebuiStores,
  // Nothing Open WebUI keeps can be restored one part at a time without webui.db's rows.
  scopes: [],
  runningApp: {
    // No lock or pid file of its own; `open-webui serve` (pip) runs under that name.
    lockFiles: [],
    processNames: ['open-webui'],
  },
  dataLocation: [
    {
      kind: 'env',
      variable: openWebuiLayout.location.env ?? 'DATA_DIR',
      note: 'backend/open_webui/env.py: DATA_DIR moves the whole folder (in Docker, the volume mounted at /app/backend/data).',
    },
  ],
  assistantStore: null,
  newRootFolders: [p.uploads, p.vectorDb, p.cache],
  demo: openWebuiDemo,
};
