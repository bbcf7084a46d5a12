/**
 * Store kinds: one module per way an assistant keeps data on disk, so that profiles can be
 * assembled from stores (issue 10). Nothing here is wired into the engine yet.
 *
 * ## The shape of every kind (store-kind.ts)
 * `StoreKind<Location, Facts, Demo>`: `kind`, `title`, `description`, `origin` (source /
 * derived from X / downloaded from X; a profile may override it), and three operations:
 * - `planCapture(location)` → `CapturePlan`: the files to copy, in order, each `copy` or
 *   `sqlite-snapshot`, with a `consistency` note and `needsAppStopped`. `captureStore(plan,
 *   targetDir, { signal, onProgress })` carries a plan out into a staging folder (copies are
 *   checked against size, mtime and inode; SQLite goes through the online backup API).
 * - `validate(location, { signal, onProgress })` → `StoreCheck<Facts>`: `facts` (counts,
 *   sizes, collections…) and `findings`, each `{ code, severity: problem | reclaimable |
 *   notice, path (relative to the location), message, action, bytes? }` (store-finding.ts;
 *   zod schemas, ready to move to src-shared/models). `ok` is false when a finding is a problem.
 * - `writeDemo(location, { seed, … })`: a small realistic instance, the same for the same seed.
 *
 * ## The kinds
 * | export | location | notes |
 * |---|---|---|
 * | `sqliteStore` | `{ file }` | checks with quick_check / integrity_check, read-only |
 * | `jsonStore` | `{ dir, files?, schema? }` | a file cut short (`JSON_TRUNCATED`) told from invalid JSON; seed shapes in json-store/seed-shapes.ts |
 * | `faissStore` | `{ dir, indexName?, expectedVectors? }` | LangChain `save_local` folders; `inspectFaissFile` reads any FAISS file by format |
 * | `chromaStore` | `{ dir }` | collections, segments, missing and orphan segment folders (with sizes) |
 * | `lancedbStore` | `{ dir, expectedTables?, expectedRows?, deep? }` | opened with @lancedb/lancedb 0.31.0 |
 * | `ollamaModelsStore` | `{ dir, verify? }` | missing blobs, orphan blobs and partial downloads (with sizes), streamed SHA-256 verify |
 * | `hnswlibStore` | `{ dir }` (vector_store/<collection>) | a thin descriptor over vectors/index-file.ts |
 * | `filesStore` | `{ dir }` | every byte of every file read |
 *
 * ## SQLite, one module (sqlite/)
 * - `openReadOnly(file)` / `withReadOnlyDatabase(file, work)` / `withReadOnlyDatabaseAsync`: the
 *   only way to read another app's database. Never writes, never changes the journal mode,
 *   closes the handle, and leaves no `-wal`/`-shm` it created behind.
 * - `openOwnDatabase(file, { create, keepJournalMode })`: Tend's own databases (WAL unless the
 *   journal mode is kept, foreign keys, NORMAL sync under WAL); `openOwnForReading(file)` reads
 *   one (the native assistant.db) leaving no `-wal`/`-shm` behind.
 * - `openStagedDatabase(file)`: a copy Tend made in restore staging (a
 *   scope merge), writable, its journal mode the app's.
 * - `createDatabase(file)`: a new file for demos of other apps' databases (refuses an existing one).
 * - `snapshotDatabase(source, target, { signal, onProgress })`: the online backup API from one
 *   read transaction (WAL included, never restarted by a busy writer), on the main thread in
 *   256-page steps.
 * - `checkDatabase(file, { full })`, `readSqliteHeader(file)` / `parseSqliteHeader(bytes)`.
 *
 * ## Facts of other systems (layouts/)
 * `openWebuiLayout`, `anythingLlmLayout`, `ollamaLayout`, `janLayout`: `SystemLayout` data (where
 * the folder is per platform, the variable that moves it, each path's category and store kind,
 * the tables a profile reads), every entry citing the system's source. With them:
 * `uploadOrphanFindings(dataDir)` (Open WebUI uploads no `file` row names) and
 * `workspaceVectorCounts(storageDir)` (AnythingLLM's vectors per workspace, for `lancedbStore`'s
 * `expectedRows`).
 */
export type { CaptureItem, CaptureMethod, CapturePlan } from './capture-plan';
export { planBytes } from './capture-plan';
export { captureStore, type CaptureResult } from './capture-store';
export { listFiles, type ListedFile } from './list-files';
export {
  reclaimableBytes,
  StoreFindingSchema,
  storeFindingCodes,
  type FindingSeverity,
  type StoreCheck,
  type StoreFinding,
  type StoreFindingCode,
} from './store-finding';
export {
  storeKindIds,
  type StoreDemoOptions,
  type StoreKind,
  type StoreKindId,
  type StoreOrigin,
  type StoreProgress,
  type StoreRunOptions,
} from './store-kind';

export { sqliteStore, planDatabaseCapture, type SqliteLocation } from './sqlite/sqlite-store';
export { checkDatabase, type SqliteFacts } from './sqlite/sqlite-check';
export { parseSqliteHeader, readSqliteHeader, type SqliteHeader } from './sqlite/sqlite-header';
export {
  createDatabase,
  isWalFile,
  openOwnDatabase,
  openOwnForReading,
  openReadOnly,
  openStagedDatabase,
  withReadOnlyDatabase,
  withReadOnlyDatabaseAsync,
  type ReadOnlyDatabase,
} from './sqlite/sqlite-open';
export { snapshotDatabase, type SqliteSnapshot } from './sqlite/sqlite-snapshot';

export { jsonStore, type JsonStoreFacts, type JsonStoreLocation } from './json-store/json-store';
export * as seedShapes from './json-store/seed-shapes';
export { demoEntities, demoChatSessions, demoMemories } from './json-store/json-demo';

export {
  faissStore,
  inspectFaissFile,
  type FaissFacts,
  type FaissLocation,
} from './faiss/faiss-store';
export { readFaissIndex, type FaissIndexInfo, type FaissRead } from './faiss/faiss-format';

export {
  chromaStore,
  type ChromaCollection,
  type ChromaFacts,
  type ChromaLocation,
} from './chroma/chroma-store';

export { lancedbStore, type LanceFacts, type LanceLocation } from './lancedb/lancedb-store';

export {
  ollamaModelsStore,
  type OllamaFacts,
  type OllamaLocation,
  type OllamaModel,
} from './ollama-models/ollama-store';

export { hnswlibStore, type HnswFacts, type HnswLocation } from './hnswlib/hnswlib-store';
export { filesStore, type FilesFacts, type FilesLocation } from './files/files-store';

export type { SystemLayout, LayoutPath, LayoutTable, DataLocation } from './layouts/system-layout';
export { openWebuiLayout } from './layouts/open-webui';
export { uploadOrphanFindings, findUploadOrphans } from './layouts/open-webui-uploads';
export { anythingLlmLayout } from './layouts/anythingllm';
export { workspaceVectorCounts } from './layouts/anythingllm-vectors';
export { ollamaLayout } from './layouts/ollama';
export { janLayout } from './layouts/jan';
