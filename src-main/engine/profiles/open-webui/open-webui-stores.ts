/**
 * Open WebUI's stores: webui.db, the uploads it names, and the Chroma store of their
 * embeddings. webui.db and vector_db are captured together, in one plan: a file row names its
 * upload and its Chroma collection (`file-<id>`), so the two are only worth having from the
 * same moment.
 */
import path from 'node:path';
import { formatBytes } from '../../../../src-shared/language/bytes';
import type { CaptureItem, CapturePlan } from '../../stores/capture-plan';
import { chromaStore } from '../../stores/chroma/chroma-store';
import { filesStore } from '../../stores/files/files-store';
import { uploadOrphanFindings } from '../../stores/layouts/open-webui-uploads';
import { fileSize } from '../../stores/list-files';
import { checkDatabase } from '../../stores/sqlite/sqlite-check';
import { sqliteStore } from '../../stores/sqlite/sqlite-store';
import { storeCheck, type StoreFinding } from '../../stores/store-finding';
import type { ProfileStore } from '../profile';
import { defineStore, summarised } from '../profile-store';
import { openWebuiPaths as p } from './open-webui-paths';

/**
 * webui.db and vector_db in one plan, from the root: Chroma's database and segment files
 * first, then webui.db. Open WebUI writes a file row before it embeds the file and deletes the
 * row before its collection (backend/open_webui/routers/files.py `delete_file_by_id`), so a
 * webui.db taken after Chroma names every collection Chroma kept, or a file still to embed;
 * never a collection lost in between.
 */
export async function planWebuiCapture(root: string): Promise<CapturePlan> {
  const chroma = await chromaStore.planCapture({ dir: path.join(root, p.vectorDb) });
  const items: CaptureItem[] = chroma.items.map((item) => ({
    ...item,
    path: `${p.vectorDb}/${item.path}`,
  }));
  const dbFile = path.join(root, p.webuiDb);
  const bytes = await fileSize(dbFile);
  if (bytes !== null) {
    const wal = (await fileSize(`${dbFile}-wal`)) ?? 0;
    items.push({ path: p.webuiDb, bytes: bytes + wal, method: 'sqlite-snapshot' });
  }
  return {
    base: root,
    items,
    consistency: `vector_db and webui.db are captured together, Chroma first, then webui.db through SQLite’s online backup API: every collection of the copy has its file row. ${chroma.consistency}`,
    needsAppStopped: true,
  };
}

/** Users, chats, files, knowledge bases, settings. */
const webuiDb = defineStore({
  id: 'webui-db',
  title: 'Open WebUI’s database (webui.db)',
  kind: sqliteStore,
  paths: [p.webuiDb],
  shape: 'file',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ file: absolute }),
  capture:
    'Captured together with vector_db: Chroma’s files first, then webui.db through SQLite’s online backup API.',
  validation: 'PRAGMA integrity_check, read-only.',
  label: () => 'webui.db',
  planCapture: ({ root }) => planWebuiCapture(root),
  validate: async ({ absolute }) =>
    summarised(await checkDatabase(absolute, { full: true, label: p.webuiDb })),
});

/** The uploads webui.db names; those it names no more are orphans, with their sizes. */
const uploads = defineStore({
  id: 'uploads',
  title: 'uploaded files',
  kind: filesStore,
  paths: [p.uploads],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation:
    'Every byte of every file is read back; uploads no row of webui.db’s file table names are reported as orphans with their sizes.',
  label: () => 'uploads',
  validate: async ({ root }, location, options) => {
    const files = await filesStore.validate(location, options);
    let orphans: StoreFinding[];
    try {
      orphans = await uploadOrphanFindings(root);
    } catch (error) {
      orphans = [
        {
          code: 'FILE_UNREADABLE',
          severity: 'notice',
          path: '',
          message: `Which uploads are still in use could not be read from webui.db: ${(error as Error).message}.`,
          action:
            'Check webui.db first (it may be missing or damaged); the uploads themselves read fine.',
        },
      ];
    }
    const findings = [...files.findings, ...orphans];
    const check = summarised(storeCheck({ ...files.facts, orphans: orphans.length }, findings));
    const reclaim = orphans.reduce((sum, finding) => sum + (finding.bytes ?? 0), 0);
    return check.ok && reclaim > 0
      ? {
          ...check,
          summary: `sound; ${orphans.length} uploads (${formatBytes(reclaim)}) belong to no file in webui.db`,
        }
      : check;
  },
});

/** Chroma's persist directory: the embeddings of files and knowledge bases. */
const vectorDb = defineStore({
  id: 'vector-db',
  title: 'the Chroma vector store (vector_db)',
  kind: chromaStore,
  paths: [p.vectorDb],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  capture: 'Captured together with webui.db (its plan holds both).',
  validation:
    'chroma.sqlite3 passes its check and lists its collections; every persisted segment folder is there with its index files whole; segment folders no collection refers to are reported as orphans with their sizes.',
  label: () => 'vector_db (Chroma)',
  // webui.db's plan carries vector_db: a capture that takes every store's plan takes it once.
  planCapture: async ({ absolute }) => ({
    base: absolute,
    items: [],
    consistency: 'Captured in webui.db’s plan, together with it.',
    needsAppStopped: true,
  }),
});

/** Open WebUI's stores, each source before what refers to it. */
export const openWebuiStores: ReadonlyArray<ProfileStore> = [webuiDb, uploads, vectorDb];
