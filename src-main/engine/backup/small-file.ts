/**
 * Small files read whole with synchronous calls: open, fstat on the descriptor, read into a
 * reused buffer, fstat again, close. Five system calls and no promise.
 *
 * Note: synchronous on purpose. Measured on 20,000 files of a few KiB (issue 13), each
 * `fs.promises` call is a hop to libuv's thread pool and back (a futex wake on each side, a
 * FileHandle and its promise for the collector), and those hops, not the disk, were most of
 * a backup's time. A call on a cached file takes microseconds; the archive writer yields to
 * the event loop every few milliseconds (`LoopBudget`), so nothing else waits long.
 */
import fs from 'node:fs';
import { describeFsError } from '../fs/fs-error';
import { openFileSync } from '../fs/sys-fs';

/** Files up to this size are read whole, synchronously; larger ones are streamed. */
export const SMALL_FILE_BYTES = 256 * 1024;

/** It shrank while it was read: the archive holds it padded with zeros. */
export const SHRANK = 'It shrank while it was read; the archive holds it padded with zeros.';
/** It changed while it was read: the archive holds the bytes as they were read. */
export const CHANGED =
  'It changed while it was read; the archive holds the bytes as they were read.';

/**
 * What reading a small file gave: its bytes (a view of the caller's buffer, valid until the
 * next read), why it was left out (it could not be opened), the error that stops the backup
 * (it failed part way), or that it has grown past `SMALL_FILE_BYTES` and must be streamed.
 */
export type SmallRead =
  | { data: Buffer; warning: string | null }
  | { skipped: string }
  | { failed: unknown }
  | { large: true };

/**
 * Reads a small file whole into `into` (at least `SMALL_FILE_BYTES` long). Never throws.
 *
 * Links are never followed (O_NOFOLLOW): a file replaced by a link since the scan is left
 * out, not read through. O_NONBLOCK changes nothing for a regular file, but a file replaced by
 * a FIFO would otherwise block the open, and with it the whole process, until a writer came.
 */
export function readSmallFile(absolute: string, into: Buffer): SmallRead {
  let fd: number;
  try {
    fd = openFileSync(
      absolute,
      fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK,
    );
  } catch (error) {
    return { skipped: describeFsError(error) };
  }
  try {
    const before = fs.fstatSync(fd);
    if (!before.isFile()) return { skipped: 'it is no longer a regular file' };
    const size = before.size;
    if (size > SMALL_FILE_BYTES || size > into.length) return { large: true };
    const data = into.subarray(0, size);
    for (let done = 0; done < size;) {
      const read = fs.readSync(fd, data, done, size - done, done);
      if (read === 0) {
        data.fill(0, done);
        return { data, warning: SHRANK };
      }
      done += read;
    }
    const after = fs.fstatSync(fd);
    const changed = after.size !== size || after.mtimeMs !== before.mtimeMs;
    return { data, warning: changed ? CHANGED : null };
  } catch (error) {
    return { failed: error };
  } finally {
    fs.closeSync(fd);
  }
}
