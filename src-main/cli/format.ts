import { formatBytes } from '../../src-shared/language/bytes';
import { countOf, countOfTotal } from '../../src-shared/language/counts';
import { formatDateTime } from '../../src-shared/language/dates';
import { formatEta } from '../../src-shared/language/durations';
import { backupKindName, backupKinds } from '../../src-shared/language/names';
import type { BackupKind } from '../../src-shared/models/backup-manifest';
import { categoryInfo } from '../../src-shared/models/category-info';
import type { JobProgress } from '../../src-shared/models/jobs';
import type { RootInfo, UsageSummary } from '../../src-shared/models/root';

/** The name of a kind of backup root:info reports (a plain string there). */
function kindName(kind: string): string {
  return Object.hasOwn(backupKinds, kind) ? backupKindName(kind as BackupKind) : kind;
}

/** The root and its usage as a person reads them in a terminal. */
export function formatOverview(info: RootInfo, usage: UsageSummary): string {
  const width = Math.max(
    ...usage.categories.map((item) => categoryInfo[item.category].label.length),
  );
  const lines = [
    `Data folder  ${info.path}`,
    `Profile      ${info.profile.name}`,
    ...(info.movedFrom
      ? [
          `Moved        from ${info.movedFrom.path} (found ${formatDateTime(info.movedFrom.at)}; its history came along)`,
        ]
      : []),
    `Disk         ${formatBytes(info.disk.freeBytes)} free of ${formatBytes(info.disk.totalBytes)}`,
    `Total        ${formatBytes(usage.totalBytes)} in ${countOf(usage.totalFiles, 'file')}`,
    '',
    ...usage.categories.map((item) => {
      const share = usage.totalBytes > 0 ? (100 * item.bytes) / usage.totalBytes : 0;
      return `  ${categoryInfo[item.category].label.padEnd(width)}  ${formatBytes(item.bytes).padStart(10)}  ${share.toFixed(1).padStart(5)}%  ${countOf(item.files, 'file').padStart(14)}`;
    }),
    '',
    info.lastBackup
      ? `Last backup  ${formatDateTime(info.lastBackup.finishedAt)} (${kindName(info.lastBackup.kind)}, ${info.lastBackup.encrypted ? `encrypted snapshot ${info.lastBackup.id.slice(0, 8)} of ${formatBytes(info.lastBackup.bytes)}` : `${formatBytes(info.lastBackup.bytes)} archive`})`
      : 'Last backup  none yet',
  ];
  return lines.join('\n');
}

/** One line of progress: percent, bytes, files (or what the job counts) and the time left in words. */
export function formatProgress(title: string, progress: JobProgress): string {
  const parts = [title];
  if (progress.bytesTotal) {
    const percent = Math.floor((100 * progress.bytesDone) / progress.bytesTotal);
    parts.push(
      `${percent}%`,
      `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`,
    );
  }
  if (progress.filesTotal !== null || progress.filesDone > 0) {
    parts.push(countOfTotal(progress.filesDone, progress.filesTotal, progress.unit ?? 'file'));
  }
  const left = formatEta(progress.etaSeconds);
  if (left !== null)
    parts.push(progress.etaSeconds !== null && progress.etaSeconds >= 60 ? `about ${left}` : left);
  return parts.join('  ');
}
