/**
 * The `lancedb` store kind: a LanceDB folder of tables (`<table>.lance/`), opened with
 * @lancedb/lancedb itself. AnythingLLM keeps one at `STORAGE_DIR/lancedb`, a table per
 * workspace named by its slug (server/utils/vectorDbProviders/lance/index.js: `uri` is
 * `<storage>/lancedb`, `namespace` is the workspace slug).
 */
import path from 'node:path';
import type * as lancedb from '@lancedb/lancedb';
import type { CaptureItem, CapturePlan } from '../capture-plan';
import { listFiles } from '../list-files';
import { storeCheck, type StoreCheck, type StoreFinding } from '../store-finding';
import type { StoreKind, StoreRunOptions } from '../store-kind';
import { writeLanceDemo, type LanceDemo } from './lancedb-demo';

/** Where a LanceDB store lives, and what the app says it should hold. */
export interface LanceLocation {
  /** The LanceDB folder (the `uri` the app connects to). */
  readonly dir: string;
  /** Tables the app refers to (AnythingLLM: its workspaces' slugs); each must open. */
  readonly expectedTables?: ReadonlyArray<string>;
  /** Rows each table must hold, by table (AnythingLLM: its document_vectors per workspace). */
  readonly expectedRows?: Readonly<Record<string, number>>;
  /** Read every row of every table, not only the first: finds a lost data file. */
  readonly deep?: boolean;
}

/** One table and its rows. */
export interface LanceTable {
  readonly name: string;
  readonly rows: number | null;
}

/** What a LanceDB check read. */
export interface LanceFacts {
  readonly tables: ReadonlyArray<LanceTable>;
}

const TABLE_SUFFIX = '.lance';

async function readTable(
  db: lancedb.Connection,
  name: string,
  deep: boolean,
): Promise<{ rows: number } | { error: string }> {
  let table: lancedb.Table | null = null;
  try {
    table = await db.openTable(name);
    const rows = await table.countRows();
    // The count comes from the manifest; reading rows touches the data files themselves.
    const read = await table
      .query()
      .limit(deep ? rows : 1)
      .toArrow();
    if (read.numRows !== Math.min(rows, deep ? rows : 1)) {
      return { error: `it lists ${rows} rows but ${read.numRows} could be read` };
    }
    return { rows };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] ?? 'it cannot be read' };
  } finally {
    table?.close();
  }
}

/** Validates a LanceDB folder: every table opens and is counted; expected ones are there. */
export async function validateLanceStore(
  location: LanceLocation,
  options: StoreRunOptions = {},
): Promise<StoreCheck<LanceFacts>> {
  // Loaded when first used: LanceDB and Arrow cost every command's start-up otherwise.
  const db = await (await import('@lancedb/lancedb')).connect(location.dir);
  try {
    const names = (await db.tableNames()).sort();
    const findings: StoreFinding[] = [];
    const tables: LanceTable[] = [];
    let done = 0;
    for (const name of names) {
      options.signal?.throwIfAborted();
      const read = await readTable(db, name, location.deep ?? false);
      const file = `${name}${TABLE_SUFFIX}`;
      if ('error' in read) {
        tables.push({ name, rows: null });
        findings.push({
          code: 'LANCE_TABLE_UNREADABLE',
          severity: 'problem',
          path: file,
          message: `Table “${name}” does not open: ${read.error}.`,
          action: `Restore ${file}/ from a backup, or have the app embed its documents again.`,
        });
      } else {
        tables.push({ name, rows: read.rows });
        const expected = location.expectedRows?.[name];
        if (expected !== undefined && expected !== read.rows) {
          findings.push({
            code: 'LANCE_ROWS_MISMATCH',
            severity: 'problem',
            path: file,
            message: `Table “${name}” holds ${read.rows} vectors; the app's database lists ${expected}.`,
            action: `Restore ${file}/ and the app's database from the same backup, so they agree again.`,
          });
        }
      }
      done++;
      options.onProgress?.({
        bytesDone: 0,
        bytesTotal: null,
        filesDone: done,
        filesTotal: names.length,
        currentPath: file,
      });
    }
    for (const name of location.expectedTables ?? []) {
      if (names.includes(name)) continue;
      findings.push({
        code: 'LANCE_TABLE_MISSING',
        severity: 'problem',
        path: `${name}${TABLE_SUFFIX}`,
        message: `Table “${name}” is missing: the app refers to it, but ${path.basename(location.dir)}/ has no ${name}${TABLE_SUFFIX}.`,
        action: `Restore ${name}${TABLE_SUFFIX}/ from a backup, or have the app embed that workspace's documents again.`,
      });
    }
    return storeCheck({ tables }, findings);
  } finally {
    db.close();
  }
}

/** Manifests before data: a copied manifest only names data files that already exist. */
function captureRank(file: string): number {
  const inTable = file.split('/').slice(1).join('/');
  if (inTable.startsWith('_versions/') || inTable === '_latest.manifest') return 0;
  if (inTable.startsWith('_transactions/')) return 1;
  return 2;
}

/** The capture plan of a LanceDB folder: each table's manifests, then its files. */
export async function planLanceCapture(location: LanceLocation): Promise<CapturePlan> {
  const files = await listFiles(location.dir);
  const items: CaptureItem[] = files
    .map((file) => ({ path: file.path, bytes: file.bytes, method: 'copy' as const }))
    .sort((a, b) => {
      const table = (p: string) => p.split('/')[0] ?? '';
      if (table(a.path) !== table(b.path)) return table(a.path) < table(b.path) ? -1 : 1;
      return captureRank(a.path) - captureRank(b.path) || (a.path < b.path ? -1 : 1);
    });
  return {
    base: location.dir,
    items,
    consistency:
      'Lance never rewrites a data file: a write adds files, then a new manifest. Copying each table’s manifests before its data files means every copied manifest finds its files, unless the app compacts and cleans up old versions during the copy; the copy is opened and counted to make sure.',
    needsAppStopped: false,
  };
}

/** A LanceDB folder of tables. */
export const lancedbStore: StoreKind<LanceLocation, LanceFacts, LanceDemo> = {
  kind: 'lancedb',
  title: 'LanceDB tables',
  description:
    'A LanceDB folder with one table per workspace (<name>.lance). Opened with LanceDB itself to count every table’s rows.',
  origin: { kind: 'source' },
  planCapture: planLanceCapture,
  validate: validateLanceStore,
  writeDemo: (location, demo) => writeLanceDemo(location.dir, demo),
};
