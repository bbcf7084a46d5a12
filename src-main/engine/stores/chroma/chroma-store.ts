/**
 * The `chroma` store kind: a Chroma persist directory (chroma.sqlite3 and one folder per HNSW
 * vector segment; chroma-schema.ts cites Chroma's source for each part). Open WebUI keeps one
 * at `DATA_DIR/vector_db`, seed 001's memory system another.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CapturePlan, CaptureItem } from '../capture-plan';
import { fileSize, folderBytes, listFiles } from '../list-files';
import { missingFile, storeCheck, type StoreCheck, type StoreFinding } from '../store-finding';
import type { StoreKind } from '../store-kind';
import { withReadOnlyDatabase } from '../sqlite/sqlite-open';
import { checkDatabase } from '../sqlite/sqlite-check';
import { writeChromaDemo, type ChromaDemo } from './chroma-demo';
import { CHROMA_DB_FILE, HNSW_SEGMENT_TYPE } from './chroma-schema';
import { checkHnswSegment } from './hnsw-segment';

/** Where a Chroma store lives: its persist directory. */
export interface ChromaLocation {
  readonly dir: string;
}

/** One segment of a collection, as chroma.sqlite3 lists it. */
export interface ChromaSegment {
  readonly id: string;
  readonly type: string;
  readonly scope: string;
  /** For a vector segment: whether its index was ever written (it has a `max_seq_id` row). */
  readonly persisted: boolean;
  /** For a vector segment: the bytes of its folder, 0 when there is none. */
  readonly folderBytes: number;
  /** For a persisted vector segment: the elements its header counts. */
  readonly vectors: number | null;
}

/** One collection and its segments. */
export interface ChromaCollection {
  readonly id: string;
  readonly name: string;
  readonly dimension: number | null;
  /** Records in the collection's metadata segment. */
  readonly records: number;
  readonly segments: ReadonlyArray<ChromaSegment>;
}

/** A segment folder no segment of chroma.sqlite3 refers to. */
export interface ChromaOrphan {
  readonly folder: string;
  readonly bytes: number;
}

/** What a Chroma check read. */
export interface ChromaFacts {
  readonly collections: ReadonlyArray<ChromaCollection>;
  readonly orphans: ReadonlyArray<ChromaOrphan>;
  readonly sqliteBytes: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SegmentRow {
  id: string;
  type: string;
  scope: string;
  collection: string;
  persisted: number;
  records: number;
}

interface CollectionRow {
  id: string;
  name: string;
  dimension: number | null;
}

/** Lists collections and segments from chroma.sqlite3, or null when it is not Chroma's. */
function readSystemDatabase(
  file: string,
): { collections: CollectionRow[]; segments: SegmentRow[] } | null {
  return withReadOnlyDatabase(file, (db) => {
    const tables = new Set(
      (
        db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{
          name: string;
        }>
      ).map((row) => row.name),
    );
    if (!tables.has('collections') || !tables.has('segments')) return null;
    const columns = new Set(
      (
        db.prepare("SELECT name FROM pragma_table_info('collections')").all() as Array<{
          name: string;
        }>
      ).map((row) => row.name),
    );
    // sysdb/00003 added `dimension`; older stores have none.
    const dimension = columns.has('dimension') ? 'dimension' : 'NULL';
    const collections = db
      .prepare(`SELECT id, name, ${dimension} AS dimension FROM collections ORDER BY name, id`)
      .all() as CollectionRow[];
    const persisted = tables.has('max_seq_id')
      ? '(SELECT count(*) FROM max_seq_id m WHERE m.segment_id = s.id)'
      : '0';
    const records = tables.has('embeddings')
      ? '(SELECT count(*) FROM embeddings e WHERE e.segment_id = s.id)'
      : '0';
    const segments = db
      .prepare(
        `SELECT s.id, s.type, s.scope, s.collection, ${persisted} AS persisted, ${records} AS records
         FROM segments s ORDER BY s.collection, s.scope, s.id`,
      )
      .all() as SegmentRow[];
    return { collections, segments };
  });
}

async function segmentFolders(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && UUID.test(entry.name))
    .map((entry) => entry.name);
}

/** Validates a Chroma persist directory. */
export async function validateChromaStore(
  location: ChromaLocation,
): Promise<StoreCheck<ChromaFacts>> {
  const dbFile = path.join(location.dir, CHROMA_DB_FILE);
  const empty: ChromaFacts = { collections: [], orphans: [], sqliteBytes: 0 };
  const sqliteBytes = await fileSize(dbFile);
  if (sqliteBytes === null) {
    return storeCheck(empty, [missingFile(CHROMA_DB_FILE, "Chroma's system database")]);
  }
  const sqlite = await checkDatabase(dbFile, { label: CHROMA_DB_FILE });
  if (!sqlite.ok) return storeCheck({ ...empty, sqliteBytes }, sqlite.findings);
  const system = readSystemDatabase(dbFile);
  if (!system) {
    return storeCheck({ ...empty, sqliteBytes }, [
      {
        code: 'CHROMA_NOT_CHROMA',
        severity: 'problem',
        path: CHROMA_DB_FILE,
        message: `${CHROMA_DB_FILE} has no collections or segments table: it is not Chroma's database.`,
        action:
          'Point Tend at the folder Chroma persists to, or restore chroma.sqlite3 from a backup.',
      },
    ]);
  }
  const findings: StoreFinding[] = [];
  const vectorSegmentIds = new Set<string>();
  const collections: ChromaCollection[] = [];
  for (const collection of system.collections) {
    const segments: ChromaSegment[] = [];
    let records = 0;
    for (const row of system.segments.filter((s) => s.collection === collection.id)) {
      records += row.records;
      if (row.type !== HNSW_SEGMENT_TYPE) {
        segments.push({ ...pick(row), persisted: false, folderBytes: 0, vectors: null });
        continue;
      }
      vectorSegmentIds.add(row.id);
      const folder = path.join(location.dir, row.id);
      const exists = (await fs.stat(folder).catch(() => null))?.isDirectory() ?? false;
      const bytes = exists ? await folderBytes(folder) : 0;
      let vectors: number | null = null;
      const persisted = row.persisted > 0;
      if (persisted && !exists) {
        findings.push({
          code: 'CHROMA_SEGMENT_MISSING',
          severity: 'problem',
          path: row.id,
          message: `The vector index of collection “${collection.name}” (segment folder ${row.id}) is missing: Chroma cannot search the collection.`,
          action: `Restore ${row.id}/ together with ${CHROMA_DB_FILE} from one backup; they must come from the same moment.`,
        });
      } else if (persisted) {
        const check = await checkHnswSegment(folder);
        vectors = check.header?.count ?? null;
        for (const defect of check.defects) {
          findings.push({
            code: 'CHROMA_SEGMENT_INCOMPLETE',
            severity: 'problem',
            path: `${row.id}/${defect.file}`,
            message: `The vector index of collection “${collection.name}” is damaged: ${defect.file}: ${defect.reason}.`,
            action: `Restore ${row.id}/ together with ${CHROMA_DB_FILE} from one backup.`,
          });
        }
      }
      segments.push({ ...pick(row), persisted, folderBytes: bytes, vectors });
    }
    collections.push({
      id: collection.id,
      name: collection.name,
      dimension: collection.dimension,
      records,
      segments,
    });
  }
  const orphans: ChromaOrphan[] = [];
  for (const folder of await segmentFolders(location.dir)) {
    if (vectorSegmentIds.has(folder)) continue;
    const bytes = await folderBytes(path.join(location.dir, folder));
    orphans.push({ folder, bytes });
    findings.push({
      code: 'CHROMA_SEGMENT_ORPHAN',
      severity: 'reclaimable',
      path: folder,
      bytes,
      message: `Segment folder ${folder} belongs to no collection in ${CHROMA_DB_FILE} (left behind by a deleted collection).`,
      action: 'Nothing uses it; it can be removed to free the space.',
    });
  }
  return storeCheck({ collections, orphans, sqliteBytes }, findings);
}

const pick = (row: SegmentRow) => ({ id: row.id, type: row.type, scope: row.scope });

/**
 * The capture plan of a Chroma store: a snapshot of chroma.sqlite3 first, then the files of the
 * segment folders it refers to. Orphan folders are left out: nothing reads them.
 */
export async function planChromaCapture(location: ChromaLocation): Promise<CapturePlan> {
  const dbFile = path.join(location.dir, CHROMA_DB_FILE);
  const items: CaptureItem[] = [];
  const bytes = await fileSize(dbFile);
  if (bytes !== null) {
    items.push({ path: CHROMA_DB_FILE, bytes, method: 'sqlite-snapshot' });
    const system = readSystemDatabase(dbFile);
    for (const segment of system?.segments ?? []) {
      if (segment.type !== HNSW_SEGMENT_TYPE) continue;
      for (const file of await listFiles(path.join(location.dir, segment.id), segment.id)) {
        items.push({ path: file.path, bytes: file.bytes, method: 'copy' });
      }
    }
  }
  return {
    base: location.dir,
    items,
    consistency:
      'chroma.sqlite3 is snapshotted first, then the segment files. Chroma records in chroma.sqlite3 how far each index was written and replays its log past that point, so index files newer than the snapshot are safe, older ones are not. Chroma rewrites index files in place while it runs: stop it for a copy that is exact.',
    needsAppStopped: true,
  };
}

/** A Chroma persist directory. */
export const chromaStore: StoreKind<ChromaLocation, ChromaFacts, ChromaDemo> = {
  kind: 'chroma',
  title: 'Chroma vector store',
  description:
    'Chroma’s persistent folder: chroma.sqlite3 (collections, segments, records, log) and one HNSW index folder per collection.',
  origin: { kind: 'source' },
  planCapture: planChromaCapture,
  validate: (location) => validateChromaStore(location),
  writeDemo: (location, demo) => writeChromaDemo(location.dir, demo),
};
