/**
 * The memory system's profile (seed 001): memory files, a Chroma store of their embeddings,
 * search indexes, logs, and the system's own nightly backups.
 */
import type { Profile } from '../profile';
import { memorySystemDemo } from './memory-system-demo';
import { memorySystemPaths } from './memory-system-paths';
import { memorySystemCategoryRules } from './memory-system-rules';
import { memorySystemStores } from './memory-system-stores';
import { memorySystemAppBackups } from './own-backups';

/** The memory system's profile. */
export const memorySystemProfile: Profile = {
  id: 'memory-system',
  name: 'Memory system',
  appName: 'the memory system',
  summary:
    'A memory system’s folder (/opt/memory-system): one JSON file per memory under data/memories/, their embeddings in a Chroma store under data/embeddings/, search indexes, logs, and its own memory_backup_*.tar.gz under backups/.',
  markers: [
    {
      path: `${memorySystemPaths.embeddings}/chroma.sqlite3`,
      what: 'the Chroma store of the embeddings',
      shape: 'sqlite',
      weight: 0.7,
    },
    {
      path: `${memorySystemPaths.memories}/`,
      what: 'the memory files',
      shape: 'folder',
      weight: 0.6,
    },
    {
      path: `${memorySystemPaths.indexes}/`,
      what: 'the search indexes',
      shape: 'folder',
      weight: 0.2,
    },
    {
      path: `${memorySystemPaths.backups}/`,
      what: 'the system’s own backups',
      shape: 'folder',
      weight: 0.05,
    },
    { path: `${memorySystemPaths.logs}/`, what: 'logs', shape: 'folder', weight: 0 },
  ],
  paths: memorySystemPaths,
  categoryRules: memorySystemCategoryRules,
  stores: memorySystemStores,
  // Seed 001 names no part of the folder to restore on its own.
  scopes: [],
  runningApp: {
    // It runs in Docker as the container `memory-system` ("docker stats memory-system"): no
    // host process by a name of its own, and no lock or pid file in its folder.
    lockFiles: [],
    processNames: [],
  },
  dataLocation: [
    {
      kind: 'settings-file',
      file: 'docker-compose.yml',
      key: 'volumes (/opt/memory-system/data:/app/data, /opt/memory-system/logs:/app/logs, /opt/memory-system/backups:/app/backups)',
      note: 'The memory system\'s "Docker Volume Configuration": the host folders mounted into the container.',
    },
  ],
  assistantStore: null,
  newRootFolders: [
    memorySystemPaths.memories,
    memorySystemPaths.embeddings,
    memorySystemPaths.indexes,
    memorySystemPaths.logs,
    memorySystemPaths.backups,
  ],
  demo: memorySystemDemo,
  appBackups: memorySystemAppBackups,
};
