/**
 * The AnythingLLM profile: AnythingLLM's storage folder (`STORAGE_DIR`; the desktop app's
 * `anythingllm-desktop/storage`), from github.com/Mintplex-Labs/anything-llm
 * (stores/layouts/anythingllm.ts cites each fact).
 */
import { anythingLlmLayout } from '../../stores/layouts/anythingllm';
import type { Profile } from '../profile';
import { anythingLlmDemo } from './anythingllm-demo';
import { anythingLlmPaths as p } from './anythingllm-paths';
import { anythingLlmCategoryRules } from './anythingllm-rules';
import { workspaceScope } from './anythingllm-scopes';
import { anythingLlmStores } from './anythingllm-stores';

/** The AnythingLLM profile's id. */
export const ANYTHINGLLM_PROFILE_ID = 'anythingllm';

const defaults = anythingLlmLayout.location.defaults
  .map((place) => `${place.platform}: ${place.path}`)
  .join('; ');

/** AnythingLLM's storage folder. */
export const anythingLlmProfile: Profile = {
  id: ANYTHINGLLM_PROFILE_ID,
  name: 'AnythingLLM',
  appName: 'AnythingLLM',
  summary:
    'AnythingLLM’s storage folder: anythingllm.db with workspaces, documents and chats, the parsed documents, one LanceDB table per workspace, the vector cache, downloaded models, plugins, logs.',
  markers: [
    { path: p.db, what: 'AnythingLLM’s database', shape: 'sqlite', weight: 0.9 },
    { path: `${p.lancedb}/`, what: 'the LanceDB vector tables', shape: 'folder', weight: 0.3 },
    { path: `${p.vectorCache}/`, what: 'the vector cache', shape: 'folder', weight: 0.3 },
    { path: `${p.documents}/`, what: 'parsed documents', shape: 'folder', weight: 0.1 },
    { path: `${p.directUploads}/`, what: 'files attached to chats', shape: 'folder', weight: 0.1 },
  ],
  paths: p,
  categoryRules: anythingLlmCategoryRules,
  stores: anythingLlmStores,
  scopes: [workspaceScope],
  runningApp: {
    // No lock file of its own; the desktop app (Electron) runs under its product name.
    lockFiles: [],
    processNames: ['AnythingLLM', 'anythingllm-desktop'],
  },
  dataLocation: [
    {
      kind: 'env',
      variable: anythingLlmLayout.location.env ?? 'STORAGE_DIR',
      note: `server/utils/files/index.js reads every path from STORAGE_DIR (docker: the volume at /app/server/storage). The desktop app keeps it at a fixed place per system (${defaults}); a link left there keeps a moved folder working.`,
    },
  ],
  assistantStore: null,
  newRootFolders: [p.documents, p.lancedb],
  demo: anythingLlmDemo,
};
