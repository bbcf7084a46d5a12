/**
 * The Jan profile: Jan's data folder (github.com/janhq/jan; stores/layouts/jan.ts cites where it
 * is on each system and how it is moved). Its vector databases stay in Jan's default place when
 * the folder moves (jan-vector-dbs.ts): `outsideRoot` lists them.
 */
import { janLayout } from '../../stores/layouts/jan';
import type { Profile } from '../profile';
import { janDemo } from './jan-demo';
import { ASSISTANT_FILE, janPaths as p } from './jan-paths';
import { janCategoryRules } from './jan-rules';
import { threadScope } from './jan-scopes';
import { janStores } from './jan-stores';
import { janVectorDbsOutside } from './jan-vector-dbs';

/** The Jan profile's id. */
export const JAN_PROFILE_ID = 'jan';

const defaults = janLayout.location.defaults
  .map((place) => `${place.platform}: ${place.path}`)
  .join('; ');

/** Jan's data folder. */
export const janProfile: Profile = {
  id: JAN_PROFILE_ID,
  name: 'Jan',
  appName: 'Jan',
  summary:
    'Jan’s data folder: one folder per conversation under threads/ (thread.json and messages.jsonl), assistants/, downloaded models, extensions and logs. Its vector databases stay in Jan’s default place even when the folder moves.',
  markers: [
    {
      path: `${p.assistants}/jan/${ASSISTANT_FILE}`,
      what: 'Jan’s default assistant',
      shape: 'json',
      weight: 0.6,
    },
    { path: `${p.threads}/`, what: 'conversations (threads)', shape: 'folder', weight: 0.3 },
    { path: `${p.assistants}/`, what: 'assistants', shape: 'folder', weight: 0.2 },
    { path: 'llamacpp/', what: 'the llama.cpp engine’s models', shape: 'folder', weight: 0.2 },
    { path: `${p.extensions}/`, what: 'extensions', shape: 'folder', weight: 0.1 },
  ],
  paths: p,
  categoryRules: janCategoryRules,
  stores: janStores,
  scopes: [threadScope],
  runningApp: {
    // A Tauri app with no lock file in the folder; the binary is Jan (jan on Linux packages).
    lockFiles: [],
    processNames: ['Jan'],
  },
  dataLocation: [
    {
      kind: 'env',
      variable: janLayout.location.env ?? 'JAN_DATA_FOLDER',
      note: `src-tauri/src/core/app/commands.rs: JAN_DATA_FOLDER overrides everything; by default the folder is ${defaults}.`,
    },
    {
      kind: 'settings-file',
      file: janLayout.location.settingsFile?.path ?? '<data dir>/Jan/settings.json',
      key: janLayout.location.settingsFile?.key ?? 'data_folder',
      note: 'What Settings → Data folder changes in Jan; the vector databases do not follow it.',
    },
  ],
  assistantStore: null,
  newRootFolders: [p.threads, p.assistants],
  demo: janDemo,
  outsideRoot: (root) => janVectorDbsOutside(root),
};
