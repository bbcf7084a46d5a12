import prettyBytes from 'pretty-bytes';
import { categoryInfo } from '../../src-shared/models/categories';
import type { JobProgress } from '../../src-shared/models/jobs';
import type { RootInfo, UsageSummary } from '../../src-shared/models/root';

/** The root and its usage as a person reads them in a terminal. */
export function formatOverview(info: RootInfo, usage: UsageSummary): string {
  const width = Math.max(
    ...usage.categories.map((item) => categoryInfo[item.category].label.length),
  );
  const lines = [
    `Data folder  ${info.path}`,
    `Disk         ${prettyBytes(info.disk.freeBytes)} free of ${prettyBytes(info.disk.totalBytes)}`,
    `Total        ${prettyBytes(usage.totalBytes)} in ${usage.totalFiles.toLocaleString('en')} files`,
    '',
    ...usage.categories.map((item) => {
      const share = usage.totalBytes > 0 ? (100 * item.bytes) / usage.totalBytes : 0;
      return `  ${categoryInfo[item.category].label.padEnd(width)}  ${prettyBytes(item.bytes).padStart(10)}  ${share.toFixed(1).padStart(5)}%  ${item.files.toLocaleString('en').padStart(8)} files`;
    }),
    '',
    info.lastBackup
      ? `Last backup  ${info.lastBackup.finishedAt} (${info.lastBackup.kind})`
      : 'Last backup  none yet',
  ];
  return lines.join('\n');
}

/** One line of progress: percent, bytes, files and ETA. */
export function formatProgress(title: string, progress: JobProgress): string {
  const parts = [title];
  if (progress.bytesTotal) {
    const percent = Math.floor((100 * progress.bytesDone) / progress.bytesTotal);
    parts.push(
      `${percent}%`,
      `${prettyBytes(progress.bytesDone)} of ${prettyBytes(progress.bytesTotal)}`,
    );
  }
  if (progress.filesTotal) parts.push(`${progress.filesDone}/${progress.filesTotal} files`);
  if (progress.etaSeconds !== null) parts.push(`about ${progress.etaSeconds}s left`);
  return parts.join('  ');
}
