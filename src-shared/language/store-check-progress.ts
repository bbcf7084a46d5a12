/**
 * A store check's progress in words, the same in the Store checks panel and on the CLI's
 * terminal: "3 of 12 stores · 4.2 MiB read".
 */
import type { JobProgress } from '../models/jobs';
import { formatBytes } from './bytes';
import { countOfTotal } from './counts';

/** "3 of 12 stores · 4.2 MiB read"; bytes only once some were read. */
export function describeStoreCheckProgress(
  progress: Pick<JobProgress, 'filesDone' | 'filesTotal' | 'bytesDone'>,
): string {
  const parts = [countOfTotal(progress.filesDone, progress.filesTotal, 'store')];
  if (progress.bytesDone > 0) parts.push(`${formatBytes(progress.bytesDone)} read`);
  return parts.join(' · ');
}
