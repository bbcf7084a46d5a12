/**
 * The memory system's layout, root-relative: the folder seed document 001 calls
 * `/opt/memory-system/` ("Directory Structure").
 */
export const memorySystemPaths = {
  data: 'data',
  /** "Individual memory files (JSON format)". */
  memories: 'data/memories',
  /**
   * "Vector embedding files". Seed 001 validates by "Testing ChromaDB connection" without
   * naming Chroma's persist directory; this is the folder its embeddings live in, so a Chroma
   * `PersistentClient` path is read here (chroma.sqlite3 and its segment folders).
   */
  embeddings: 'data/embeddings',
  /** "Search indexes for performance". */
  indexes: 'data/indexes',
  logs: 'data/logs',
  /** The container's `/app/logs` mount ("tail -f /opt/memory-system/logs/server.log"). */
  hostLogs: 'logs',
  /** "Automated backups stored here": `memory_backup_YYYYMMDD_HHMMSS.tar.gz`. */
  backups: 'backups',
  /** "SSL certificates (optional)". */
  ssl: 'ssl',
} as const;
