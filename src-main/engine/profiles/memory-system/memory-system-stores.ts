/**
 * The memory system's stores (seed 001): the memory files, the Chroma store of their
 * embeddings, the search indexes derived from them, and the system's own backups.
 */
import { chromaStore } from '../../stores/chroma/chroma-store';
import { filesStore } from '../../stores/files/files-store';
import { jsonStore } from '../../stores/json-store/json-store';
import { MemoryRecordSchema } from '../../stores/json-store/seed-shapes';
import type { ProfileStore } from '../profile';
import { defineStore } from '../profile-store';
import { memorySystemPaths } from './memory-system-paths';
import { checkMemoryBackups } from './own-backups';

/** `data/memories/*.json`: one memory a file ("Validates memory file integrity"). */
const memories = defineStore({
  id: 'memories',
  title: 'memory files',
  kind: jsonStore,
  paths: [memorySystemPaths.memories],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute, schema: MemoryRecordSchema }),
  validation:
    'Every memory file parses whole and has the memory format (id, content, tags, importance, created_at, metadata).',
  label: () => 'memory files',
});

/** `data/embeddings/`: Chroma's persist directory ("Tests ChromaDB connection"). */
const embeddings = defineStore({
  id: 'embeddings',
  title: 'the Chroma store of the memories’ embeddings',
  kind: chromaStore,
  paths: [memorySystemPaths.embeddings],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation:
    'chroma.sqlite3 passes its SQLite check and is Chroma’s; every vector segment it lists has its folder, whole; segment folders it does not list are named with their size.',
  label: () => 'Chroma store (data/embeddings)',
});

/** `data/indexes/`: search indexes, derived from the memories. */
const searchIndexes = defineStore({
  id: 'search-indexes',
  title: 'search indexes',
  kind: filesStore,
  paths: [memorySystemPaths.indexes],
  shape: 'folder',
  category: 'rebuildable',
  origin: {
    kind: 'derived',
    from: 'memories',
    rebuiltBy: 'the memory system indexes its memory files again when its indexes are gone',
  },
  locate: ({ absolute }) => ({ dir: absolute }),
  validation: 'Every byte of every file is read back.',
  label: () => 'search indexes',
});

/** `backups/`: the system's own `memory_backup_*.tar.gz`, shown with their dates. */
const ownBackups = defineStore({
  id: 'own-backups',
  title: 'the memory system’s own backups',
  kind: filesStore,
  paths: [memorySystemPaths.backups],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation:
    'Each memory_backup_YYYYMMDD_HHMMSS.tar.gz is listed with its date and size and read through gzip to its end.',
  label: () => 'the memory system’s own backups',
  validate: (_place, location, options) => checkMemoryBackups(location.dir, options),
});

/** The memory system's stores, each source before what is derived from it. */
export const memorySystemStores: ReadonlyArray<ProfileStore> = [
  memories,
  embeddings,
  searchIndexes,
  ownBackups,
];
