/**
 * Jan's data folder, from github.com/janhq/jan (src-tauri/src/core/…).
 */
import type { SystemLayout } from './system-layout';

const COMMANDS = 'src-tauri/src/core/app/commands.rs';
const THREADS = 'src-tauri/src/core/threads/constants.rs';

/** Jan's data folder (`JAN_DATA_FOLDER`, or `data_folder` in its settings.json). */
export const janLayout: SystemLayout = {
  id: 'jan',
  name: 'Jan',
  sourceRepository: 'github.com/janhq/jan',
  location: {
    env: 'JAN_DATA_FOLDER',
    defaults: [
      {
        platform: 'linux',
        path: '~/.local/share/Jan/data',
        source: `${COMMANDS} resolve_jan_data_folder(): dirs::data_dir() / "Jan" / "data" (XDG data dir on Linux)`,
      },
      {
        platform: 'darwin',
        path: '~/Library/Application Support/Jan/data',
        source: `${COMMANDS} resolve_jan_data_folder(): dirs::data_dir() is ~/Library/Application Support on macOS`,
      },
      {
        platform: 'win32',
        path: '%APPDATA%\\Jan\\data',
        source: `${COMMANDS} resolve_jan_data_folder(): dirs::data_dir() is %APPDATA% (Roaming) on Windows`,
      },
    ],
    settingsFile: {
      path: '<data dir>/Jan/settings.json',
      key: 'data_folder',
      source: `${COMMANDS}: CONFIGURATION_FILE_NAME in the app data dir holds AppConfiguration { data_folder }; JAN_DATA_FOLDER overrides it`,
    },
  },
  paths: [
    {
      path: 'threads/*/thread.json',
      what: 'A conversation’s metadata',
      category: 'irreplaceable',
      store: 'json-store',
      source: `${THREADS}: THREADS_DIR = "threads", THREADS_FILE = "thread.json"; src-tauri/src/core/threads/utils.rs get_thread_metadata_path()`,
    },
    {
      path: 'threads/*/messages.jsonl',
      what: 'A conversation’s messages, one JSON object a line',
      category: 'irreplaceable',
      store: 'files',
      source: `${THREADS}: MESSAGES_FILE = "messages.jsonl"; src-tauri/src/core/threads/utils.rs get_messages_path()`,
    },
  ],
  tables: [],
};
