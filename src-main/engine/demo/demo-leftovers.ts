import { nativePaths } from '../profiles/native/native-paths';
import { daysBefore } from './demo-time';
import { textFile, type PlannedFile } from './demo-files';
import type { SeededRandom } from './random';

/**
 * Plans what crashed processes leave behind: stale index locks for a couple of collections and
 * temporary files of interrupted writes. All disposable; cleanup and health checks should find them.
 */
export function planLeftovers(
  rng: SeededRandom,
  collectionIds: ReadonlyArray<string>,
  now: Date,
): PlannedFile[] {
  const files: PlannedFile[] = [];
  for (const id of collectionIds.slice(0, 2)) {
    const r = rng.fork(`lock/${id}`);
    const locked = daysBefore(now, r.int(3, 40) + r.next());
    files.push(
      textFile(
        `${nativePaths.vectorStore}/${id}/.lock`,
        `${JSON.stringify({ pid: r.int(1000, 60000), host: 'assistant-host', acquired_at: locked.toISOString() })}\n`,
        locked,
      ),
    );
  }
  const tmp = (path: string, bytes: number, label: string) => {
    const r = rng.fork(label);
    files.push(
      textFile(path, r.fill(new Uint8Array(bytes)), daysBefore(now, r.int(2, 90) + r.next())),
    );
  };
  const first = collectionIds[0];
  if (first)
    tmp(
      `${nativePaths.vectorStore}/${first}/index.hnsw.${rng.fork('tmp-name').hex(6)}.tmp`,
      64 * 1024,
      'tmp/index',
    );
  tmp(
    `${nativePaths.assistantDir}/upload_${rng.fork('tmp-upload').hex(8)}.tmp`,
    12 * 1024,
    'tmp/upload',
  );
  tmp(
    `${nativePaths.cache}/tiktoken/${rng.fork('tmp-cache').hex(40)}.${rng.fork('tmp-cache-suffix').hex(6)}.tmp`,
    4 * 1024,
    'tmp/cache',
  );
  return files;
}
