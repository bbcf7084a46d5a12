import { publishArchive } from '../backup/manifest-writer';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import { MANIFEST_FORMAT_VERSION } from '../../../src-shared/models/backup-manifest';
import { SNAPSHOT_REF_PREFIX } from '../../../src-shared/models/snapshot-choices';
import { writeArchive } from '../backup/archive-writer';
import { archiveName, backupId, PARTIAL_SUFFIX, sidecarName } from '../backup/backup-naming';
import { categoriesForKind, scanScope } from '../backup/backup-scope';
import { TEND_VERSION } from '../backup/tend-version';
import type { EngineServices } from '../engine-services';
import type { SnapshotLookup } from '../restore/backup-locator';
import type { RootSession } from '../root-session';
import { nanosToDate } from './go-time';
import { repositoryServiceFor } from './repository-service';
import { findSnapshot } from './snapshot-reader';
import { restoreSnapshot } from './snapshot-restore';
import { snapshotKind } from './snapshot-retention';

/**
 * Whether a backup reference names a repository snapshot (`snapshot:<id or its first
 * characters>`) rather than an archive.
 */
export function isSnapshotRef(ref: string): boolean {
  return ref.startsWith(SNAPSHOT_REF_PREFIX) && ref.length > SNAPSHOT_REF_PREFIX.length;
}

/**
 * A repository snapshot as the restore pipeline reads backups: a Tend archive with its
 * manifest, in Tend's state folder (`snapshots/repository-restore/`), never in the data folder. The
 * snapshot's files are restored into a folder there, then archived by the same writer as any
 * backup (every file's SHA-256 in the manifest), so the wizard's plan, preview, safety
 * snapshot, hash-checked extraction, validation and undo work unchanged. An archive made
 * before for the same snapshot is used again; one of another snapshot is removed. Answers the
 * archive's path.
 */
export async function snapshotArchive(
  session: RootSession,
  engine: EngineServices,
  ref: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<string> {
  // One at a time per root: the wizard plans the whole snapshot and then a part of it, often
  // at once, and two makers must never write (or clear) the same folder together.
  const previous = turns.get(session) ?? Promise.resolve();
  const turn = previous.then(() => makeSnapshotArchive(session, engine, ref, signal));
  turns.set(
    session,
    turn.then(
      () => undefined,
      () => undefined,
    ),
  );
  return turn;
}

const turns = new WeakMap<RootSession, Promise<void>>();

async function makeSnapshotArchive(
  session: RootSession,
  engine: EngineServices,
  ref: string,
  signal: AbortSignal,
): Promise<string> {
  if (!isSnapshotRef(ref)) {
    throw new TendFailure('BACKUP_NOT_FOUND', `${ref} does not name a repository snapshot.`);
  }
  // Beside the safety snapshots: Tend's own backups in its state, which a restore may name by
  // path (the one-click dialog applies the plan's archive path), on every transport.
  const folder = path.join(session.state.snapshots, 'repository-restore');
  return repositoryServiceFor(session, engine).withRepository(async (repository) => {
    const snapshot = await findSnapshot(repository, ref.slice(SNAPSHOT_REF_PREFIX.length));
    const kind = snapshotKind(snapshot);
    const createdAt = nanosToDate(snapshot.time);
    // The archive's id carries the snapshot's time and kind, and its short id to tell two apart.
    const id = `${backupId(kind, createdAt, () => false)}-${snapshot.id.slice(0, 8)}`;
    const archive = path.join(folder, archiveName(id));
    const sidecar = path.join(folder, sidecarName(id));
    const made = await Promise.all([fs.stat(archive), fs.stat(sidecar)]).catch(() => null);
    if (made) return archive;

    await fs.mkdir(folder, { recursive: true });
    // One snapshot's archive at a time: an older one is only a cache (undo keeps its own copy).
    for (const name of await fs.readdir(folder)) {
      await fs.rm(path.join(folder, name), { recursive: true, force: true });
    }
    const work = await fs.mkdtemp(path.join(folder, 'work-'));
    try {
      const files = path.join(work, 'files');
      await restoreSnapshot(repository, snapshot.id, { target: files, signal });
      const categories = categoriesForKind(kind);
      const scope = await scanScope(files, categories, null, {
        categorizer: session.categorize,
        unreadable: 'fail',
      });
      const tempDir = path.join(work, 'temp');
      await fs.mkdir(tempDir);
      const written = await writeArchive({
        root: files,
        scope,
        partialPath: archive + PARTIAL_SUFFIX,
        tempDir,
        assistantDb: session.assistantStore?.db ?? null,
        manifestBase: {
          format: 'tend-backup',
          formatVersion: MANIFEST_FORMAT_VERSION,
          tendVersion: TEND_VERSION,
          id,
          kind,
          categories: [...categories],
          createdAt: createdAt.toISOString(),
          sourceRoot: session.path,
          host: snapshot.hostname ?? os.hostname(),
        },
        unreadable: 'fail',
        damagedDatabases: 'fail',
        signal,
        onProgress: () => undefined,
      });
      await publishArchive(written, { archive, sidecar, signal: signal });
      return archive;
    } finally {
      await fs.rm(work, { recursive: true, force: true });
      await fs.rm(archive + PARTIAL_SUFFIX, { force: true });
      await fs.rm(sidecar + PARTIAL_SUFFIX, { force: true });
    }
  });
}

/**
 * The repository's newest snapshot Tend wrote that a restore can take (not a safety
 * snapshot), or why there is none to take: no repository or none in it, or one that cannot be
 * read now (its passphrase not known, its storage not there).
 */
export async function newestSnapshot(
  session: RootSession,
  engine: EngineServices,
): Promise<SnapshotLookup> {
  const service = repositoryServiceFor(session, engine);
  const status = await service.status();
  if (!status.destination || !status.location) return { state: 'none' };
  const location = status.location;
  if (!status.passphraseKnown) {
    return { state: 'unreadable', location, why: 'Tend does not know its passphrase now' };
  }
  let snapshots: Awaited<ReturnType<typeof service.snapshots>>;
  try {
    snapshots = await service.snapshots();
  } catch (error) {
    return { state: 'unreadable', location, why: (error as Error).message };
  }
  const newest = snapshots.find(
    (snapshot) => snapshot.kind !== 'pre-restore' && snapshot.kind !== 'pre-migration',
  );
  return newest
    ? { state: 'found', ref: `${SNAPSHOT_REF_PREFIX}${newest.id}`, createdAt: newest.time }
    : { state: 'none' };
}
