import type { FileHandle, FileType } from './backend';

/**
 * restic's default layout (internal/backend/layout_default.go; design.rst "Repository
 * Layout"): `config` at the top, packs in `data/<first two hex digits>/<id>`, everything else
 * in a folder named after its kind. The same for a folder, SFTP and S3 (the S3 "legacy"
 * layout is not written).
 */

/** The folder of each kind of file. */
export const LAYOUT_FOLDERS: Readonly<Record<Exclude<FileType, 'config'>, string>> = {
  data: 'data',
  snapshots: 'snapshots',
  index: 'index',
  locks: 'locks',
  keys: 'keys',
};

/** A file's path inside the repository, with forward slashes. */
export function layoutPath(handle: FileHandle): string {
  if (handle.type === 'config') return 'config';
  if (handle.type === 'data') return `data/${handle.name.slice(0, 2)}/${handle.name}`;
  return `${LAYOUT_FOLDERS[handle.type]}/${handle.name}`;
}

/** Every folder a new repository has: the kinds' folders and data/00 … data/ff (layout Paths). */
export function layoutFolders(): string[] {
  const folders = Object.values(LAYOUT_FOLDERS);
  for (let i = 0; i < 256; i++) folders.push(`data/${i.toString(16).padStart(2, '0')}`);
  return folders;
}
