/**
 * Entities and their uploads, compared (issue 10, seed 002): upload folders of no entity in
 * entities.json, entities with no uploaded file, and documents entities.json lists whose file
 * is gone. Seed 002 writes an upload to `data/uploads/{entity_id}/` and adds it to the entity's
 * document list in the same request ("Uploading a file … Updates entity in entities.json"), so
 * either side alone means something was deleted or restored on one side only.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { EntitiesFileSchema } from '../../stores/json-store/seed-shapes';
import { listFiles } from '../../stores/list-files';
import type { StoreFinding } from '../../stores/store-finding';
import { entityRagPaths } from './entity-rag-paths';

/** One entity of entities.json, as the comparison needs it. */
export interface EntityUploadsRecord {
  readonly id: string;
  readonly name: string;
  /** Its documents' stored paths (`data/uploads/<id>/<file>`, relative to the app's folder). */
  readonly files: ReadonlyArray<string>;
}

/** One folder of `data/uploads/`. */
export interface UploadFolder {
  readonly id: string;
  readonly files: number;
  readonly bytes: number;
}

/**
 * The findings of the comparison, paths relative to `data/uploads/`. Both mismatches are
 * notices: the files are the person's, and which side is right only they know.
 */
export function entityUploadMismatches(
  entities: ReadonlyArray<EntityUploadsRecord>,
  folders: ReadonlyArray<UploadFolder>,
): StoreFinding[] {
  const known = new Map(entities.map((entity) => [entity.id, entity]));
  const withFiles = new Map(folders.filter((f) => f.files > 0).map((f) => [f.id, f]));
  const findings: StoreFinding[] = [];
  for (const folder of folders) {
    if (known.has(folder.id)) continue;
    findings.push({
      code: 'UPLOAD_ORPHAN',
      severity: 'notice',
      path: folder.id,
      bytes: folder.bytes,
      message: `data/uploads/${folder.id}/ holds ${folder.files} file(s) of no entity in entities.json (the entity was deleted, or entities.json is older than the uploads).`,
      action: `If the entity was deleted on purpose, the folder can go; if not, restore entities.json (or the entity ${folder.id}) from a backup that has it.`,
    });
  }
  for (const entity of entities) {
    if (withFiles.has(entity.id)) continue;
    findings.push({
      code: 'ENTITY_NO_UPLOADS',
      severity: 'notice',
      path: entity.id,
      message: `Entity ${entity.name} (${entity.id}) has no uploaded file in data/uploads/${entity.id}/${entity.files.length > 0 ? `, although entities.json lists ${entity.files.length} document(s)` : ''}.`,
      action:
        entity.files.length > 0
          ? `Restore the entity ${entity.id} from a backup to bring its uploads back.`
          : 'Nothing is lost; upload documents to it in the app, or delete the entity if it is not needed.',
    });
  }
  return findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The entities of a root's entities.json, or null when it does not read (its own store says why). */
export async function readEntities(root: string): Promise<EntityUploadsRecord[] | null> {
  try {
    const text = await fs.readFile(path.join(root, entityRagPaths.entitiesJson), 'utf8');
    const parsed = EntitiesFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    return Object.entries(parsed.data).map(([key, entity]) => ({
      id: entity.entity_id || key,
      name: entity.entity_name,
      files: entity.documents.map((document) => document.file_path),
    }));
  } catch {
    return null;
  }
}

/** The folders of `data/uploads/` with their files and bytes. */
export async function readUploadFolders(root: string): Promise<UploadFolder[]> {
  const uploads = path.join(root, entityRagPaths.uploads);
  const entries = await fs.readdir(uploads, { withFileTypes: true }).catch(() => []);
  const folders: UploadFolder[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const files = await listFiles(path.join(uploads, entry.name));
    folders.push({
      id: entry.name,
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    });
  }
  return folders.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Every finding of the comparison in a root, with the documents entities.json lists whose file
 * is missing (a problem: an upload is the only copy of a document).
 */
export async function entityUploadFindings(root: string): Promise<StoreFinding[]> {
  const entities = await readEntities(root);
  if (entities === null) return [];
  const folders = await readUploadFolders(root);
  const findings = entityUploadMismatches(entities, folders);
  const present = new Set(folders.filter((f) => f.files > 0).map((f) => f.id));
  for (const entity of entities) {
    // An entity with no uploads at all is said once, above.
    if (!present.has(entity.id)) continue;
    for (const stored of entity.files) {
      const relative = stored.replaceAll('\\', '/').replace(/^\.\//, '');
      const prefix = `${entityRagPaths.uploads}/`;
      if (!relative.startsWith(prefix) || relative.includes('..')) continue;
      const exists = await fs
        .stat(path.join(root, ...relative.split('/')))
        .then((stat) => stat.isFile())
        .catch(() => false);
      if (exists) continue;
      const inside = relative.slice(prefix.length);
      findings.push({
        code: 'FILE_MISSING',
        severity: 'problem',
        path: inside,
        message: `${relative}, a document of entity ${entity.name} (${entity.id}), is missing: the upload is the only copy of it.`,
        action: `Restore the entity ${entity.id} from a backup that has it.`,
      });
    }
  }
  return findings;
}
