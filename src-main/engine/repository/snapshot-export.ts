import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { PassThrough } from 'node:stream';
import { encodeTarHeader, TAR_END, tarPadding } from '../backup/tar-header';
import { posixPermissions } from './go-file-mode';
import { unsafeNodeName } from './node-names';
import type { Repository } from './repository';
import { cancelled } from './repository-errors';
import { withLock } from './repository-lock';
import type { ResticId } from './restic-id';
import { findSnapshot, TreeReader } from './snapshot-reader';
import { plainLength } from './blob-opening';

/** What an export wrote. */
export interface ExportResult {
  readonly snapshotId: ResticId;
  readonly files: number;
  readonly bytes: number;
  readonly skipped: ReadonlyArray<{ path: string; reason: string }>;
}

/**
 * Writes a snapshot as a .tar.gz stream that GNU tar opens: folders, files and symlinks with
 * their modes and times, in tree order, headers by node-tar's encoder (backup/tar-header.ts),
 * each blob checked as it is read. Special files are left out and reported.
 */
export async function exportSnapshotTar(
  repository: Repository,
  snapshotRef: string,
  output: Writable,
  options: { readonly signal?: AbortSignal; readonly gzipLevel?: number } = {},
): Promise<ExportResult> {
  return withLock(repository, { exclusive: false }, async () => {
    const snapshot = await findSnapshot(repository, snapshotRef);
    const index = await repository.loadIndex();
    const trees = new TreeReader(repository, index);
    const tar = new PassThrough({ highWaterMark: 1024 * 1024 });
    const gzip = createGzip({ level: options.gzipLevel ?? 6 });
    const done = pipeline(tar, gzip, output);
    const write = async (chunk: Buffer) => {
      if (!tar.write(chunk)) await new Promise((resolve) => tar.once('drain', resolve));
    };
    const skipped: Array<{ path: string; reason: string }> = [];
    let files = 0;
    let bytes = 0;
    const walk = async (tree: ResticId, prefix: string): Promise<void> => {
      for (const node of await trees.read(tree)) {
        if (options.signal?.aborted) throw cancelled();
        const relative = prefix ? `${prefix}/${node.name}` : node.name;
        const problem = unsafeNodeName(node);
        if (problem) {
          skipped.push({ path: relative, reason: problem });
          continue;
        }
        const mode = posixPermissions(node.mode);
        const mtimeMs = Number(node.mtime / 1_000_000n);
        if (node.type === 'dir') {
          await write(
            encodeTarHeader({ path: relative, type: 'Directory', mode, mtimeMs, size: 0 }),
          );
          if (node.subtree) await walk(node.subtree, relative);
        } else if (node.type === 'symlink') {
          await write(
            encodeTarHeader({
              path: relative,
              type: 'SymbolicLink',
              mode,
              mtimeMs,
              size: 0,
              linkpath: node.linktarget ?? '',
            }),
          );
        } else if (node.type === 'file') {
          const content = node.content ?? [];
          let size = 0;
          for (const id of content) {
            const location = index.lookup('data', id);
            if (location) size += plainLength(location.blob);
          }
          await write(encodeTarHeader({ path: relative, type: 'File', mode, mtimeMs, size }));
          for (const id of content) await write(await repository.readBlob(index, 'data', id));
          await write(Buffer.alloc(tarPadding(size)));
          files += 1;
          bytes += size;
        } else {
          skipped.push({ path: relative, reason: `a ${node.type} is not exported` });
        }
      }
    };
    try {
      await walk(snapshot.tree, '');
      await write(TAR_END);
      tar.end();
      await done;
    } catch (error) {
      tar.destroy(error as Error);
      await done.catch(() => {});
      throw error;
    }
    return { snapshotId: snapshot.id, files, bytes, skipped };
  });
}
