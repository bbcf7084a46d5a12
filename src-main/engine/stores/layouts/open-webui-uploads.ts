/**
 * Open WebUI uploads that webui.db no longer refers to (the `file` table of
 * backend/open_webui/models/files.py): left behind when a chat or a knowledge base goes, they
 * add up to gigabytes on some installs.
 */
import path from 'node:path';
import { listFiles } from '../list-files';
import { withReadOnlyDatabase } from '../sqlite/sqlite-open';
import type { StoreFinding } from '../store-finding';

/** An upload no file row refers to. */
export interface UploadOrphan {
  /** Relative to `uploads/`. */
  readonly path: string;
  readonly bytes: number;
}

/**
 * The uploads under `<dataDir>/uploads` that no row of webui.db's `file` table refers to.
 *
 * A row refers to an upload by its `path` (stored as the container saw it, so only the file
 * name is compared) or, for rows written before `path` existed, by the `<id>_` prefix
 * routers/files.py gives every stored name.
 */
export function findUploadOrphans(
  dataDir: string,
  uploads: ReadonlyArray<{ path: string; bytes: number }>,
): UploadOrphan[] {
  const rows = withReadOnlyDatabase(path.join(dataDir, 'webui.db'), (db) => {
    const columns = new Set(
      (
        db.prepare("SELECT name FROM pragma_table_info('file')").all() as Array<{ name: string }>
      ).map((row) => row.name),
    );
    const pathColumn = columns.has('path') ? 'path' : 'NULL';
    return db.prepare(`SELECT id, ${pathColumn} AS path FROM file`).all() as Array<{
      id: string;
      path: string | null;
    }>;
  });
  const names = new Set(
    rows.flatMap((row) => (row.path ? [row.path.split(/[\\/]/).pop() ?? ''] : [])),
  );
  const ids = rows.map((row) => `${row.id}_`);
  return uploads
    .filter((upload) => {
      const name = upload.path.split('/').pop() ?? upload.path;
      return !names.has(name) && !ids.some((prefix) => name.startsWith(prefix));
    })
    .map((upload) => ({ path: upload.path, bytes: upload.bytes }));
}

/** The orphan uploads of an Open WebUI data folder, as findings with their sizes. */
export async function uploadOrphanFindings(dataDir: string): Promise<StoreFinding[]> {
  const uploads = await listFiles(path.join(dataDir, 'uploads'));
  return findUploadOrphans(dataDir, uploads).map((orphan) => ({
    code: 'UPLOAD_ORPHAN' as const,
    severity: 'reclaimable' as const,
    path: `uploads/${orphan.path}`,
    bytes: orphan.bytes,
    message: `uploads/${orphan.path} belongs to no file in webui.db (its chat or knowledge base was deleted).`,
    action: 'Nothing in Open WebUI refers to it; it can be removed to free the space.',
  }));
}
