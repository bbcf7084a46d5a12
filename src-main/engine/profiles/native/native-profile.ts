/**
 * The native profile: the local assistant's own layout (seed documents 000 and 004), the one
 * Tend was first built for. Everything Tend did before profiles existed, it does here.
 */
import type { Profile } from '../profile';
import { nativeDemo } from './native-demo';
import { nativeNewRootFolders, nativePaths } from './native-paths';
import { nativeCategoryRules } from './native-rules';
import { collectionScope } from './native-scopes';
import { nativeStores } from './native-stores';

/** The native profile's id. */
export const NATIVE_PROFILE_ID = 'native';

/** The local assistant's `local_data/` layout, and the old `data/` layout it migrates from. */
export const nativeProfile: Profile = {
  id: NATIVE_PROFILE_ID,
  name: 'Local assistant (native)',
  appName: 'the assistant',
  summary:
    'The local assistant’s own folder: assistant.db with collections, chats and interactions, an HNSW index per collection, uploaded documents, models, caches and logs under local_data/, its settings in config/.',
  markers: [
    {
      path: nativePaths.assistantDb,
      what: "the assistant's database",
      shape: 'sqlite',
      weight: 0.9,
    },
    {
      path: `${nativePaths.vectorStore}/`,
      what: "the assistant's vector indexes",
      shape: 'folder',
      weight: 0.6,
    },
    {
      path: `${nativePaths.documents}/`,
      what: "the assistant's uploaded documents",
      shape: 'folder',
      weight: 0.6,
    },
    // The old layout that the legacy migration moves into local_data/ (maintenance/legacy-plan.ts).
    {
      path: 'data/api_storage/',
      what: "the old layout's entity and chat stores",
      shape: 'folder',
      weight: 0.6,
    },
    {
      path: 'data/vector_indexes/',
      what: "the old layout's vector indexes",
      shape: 'folder',
      weight: 0.6,
    },
    { path: `${nativePaths.models}/`, what: 'model files', shape: 'folder', weight: 0.1 },
    { path: `${nativePaths.logs}/`, what: 'logs', shape: 'folder', weight: 0.1 },
    // Far too common to prove anything alone.
    { path: `${nativePaths.config}/`, what: 'a config folder', shape: 'folder', weight: 0 },
    { path: 'data/uploads/', what: "the old layout's uploads", shape: 'folder', weight: 0 },
  ],
  paths: nativePaths,
  categoryRules: nativeCategoryRules,
  stores: nativeStores,
  scopes: [collectionScope],
  runningApp: {
    // The assistant's index writer and its model loader keep lock and pid files beside what
    // they hold; the category rules' lock names.
    lockFiles: ['**/{.lock,*.lock,*.pid,LOCK}'],
    processNames: [],
  },
  dataLocation: [
    {
      kind: 'env',
      variable: 'PGPT_DATA_FOLDER',
      note: 'The assistant reads local_data/ from here (its documentation: "Environment Variables").',
    },
    {
      kind: 'env',
      variable: 'PGPT_SETTINGS_FOLDER',
      note: 'The assistant reads config/ from here.',
    },
    {
      kind: 'settings-file',
      file: 'config/settings.yaml',
      key: 'data.cache_dir, data.models_dir, data.logs_dir, data.vector_store_dir',
      note: 'Each place inside local_data/ can be moved on its own.',
    },
  ],
  assistantStore: {
    dir: nativePaths.assistantDir,
    db: nativePaths.assistantDb,
    vectorStore: nativePaths.vectorStore,
    documents: nativePaths.documents,
    logs: nativePaths.logs,
    legacyData: nativePaths.legacyData,
    legacySetAside: nativePaths.legacySetAside,
  },
  newRootFolders: nativeNewRootFolders,
  demo: nativeDemo,
};
