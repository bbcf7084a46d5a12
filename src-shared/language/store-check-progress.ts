/**
 * A store check's progress in words, the same in the Store checks panel and on the CLI's
 * terminal: "3 of 12 stores · 1.2 GiB of 4 GiB".
 */
import type { JobProgress } from '../models/jobs';
import { formatBytes } from './bytes';
import { countOfTotal } from './counts';

/**
 * "3 of 12 stores · 1.2 GiB of 4 GiB": the bytes of the stores checked, once their total is
 * measured (or some were read).
 */
export function describeStoreCheckProgress(
  progress: Pick<JobProgress, 'filesDone' | 'filesTotal' | 'bytesDone' | 'bytesTotal'>,
): string {
  const parts = [countOfTotal(progress.filesDone, progress.filesTotal, 'store')];
  if (progress.bytesTotal !== null && progress.bytesTotal >= progress.bytesDone) {
    if (progress.bytesTotal > 0) {
      parts.push(`${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`);
    }
  } else if (progress.bytesDone > 0) {
    parts.push(formatBytes(progress.bytesDone));
  }
  return parts.join(' · ');
}
