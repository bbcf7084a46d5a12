/**
 * What the Health panel says about each figure, as plain functions of the figures, so the
 * words are tested without a page: a rate that reads 100% only when it is, a growth with its
 * sign, the counts behind a percentage.
 */
import type {
  BackupSuccess,
  GrowthFigure,
  VerificationFigures,
} from '../../../../src-shared/models/health';
import { backupKindName } from '../../../../src-shared/language/names';
import { countOf, countOfTotal, formatAgo, formatBytes, formatDateTime } from '../../lib/format';

/** A figure: its big value, whether it falls short of its goal, and the lines under it. */
export interface FigureText {
  readonly value: string;
  readonly warning: boolean;
  readonly lines: ReadonlyArray<string>;
}

/**
 * A share from 0 to 1 as a percentage, rounded down to a tenth: "100%" only when it is all
 * (999 of 1,000 reads "99.9%", never "100%"), "57.1%", "0%".
 */
export function formatRate(rate: number): string {
  if (rate >= 1) return '100%';
  const tenths = Math.floor(Math.max(0, rate) * 1000) / 10;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)}%`;
}

/** A signed share: "+4.2%", "−60%", "0%". */
export function formatSignedRate(ratio: number): string {
  const percent = Math.round(Math.abs(ratio) * 1000) / 10;
  if (percent === 0) return '0%';
  return `${ratio > 0 ? '+' : '−'}${percent}%`;
}

/** A change in bytes with its sign: "+30 MiB", "−6 MiB", "no change". */
export function formatDelta(bytes: number): string {
  if (bytes === 0) return 'no change';
  return `${bytes > 0 ? '+' : '−'}${formatBytes(Math.abs(bytes))}`;
}

/** A growth in words: "+30 MiB (+30%)", "+2 GiB (was empty)", "no change". */
export function growthText(figure: GrowthFigure): string {
  const delta = formatDelta(figure.deltaBytes);
  if (figure.deltaBytes === 0) return delta;
  if (figure.ratio === null) return `${delta} (was empty)`;
  return `${delta} (${formatSignedRate(figure.ratio)})`;
}

/** Whether a growth is over seed 004's goal (a rate under `goal` a month). */
export function overGoal(figure: GrowthFigure, goal: number): boolean {
  return figure.ratio === null ? figure.deltaBytes > 0 : figure.ratio > goal;
}

/**
 * Backup success in words: the rate (goal 100%), how many runs of which outcome make it, the
 * days with a good backup, and the newest failure with its reason.
 */
export function successText(figure: BackupSuccess): FigureText {
  const lines: string[] = [];
  if (figure.runs > 0) {
    const misses = [
      figure.missed > 0 ? `${figure.missed} missed (the disk was not there)` : null,
      figure.failed > 0 ? `${figure.failed} failed` : null,
      figure.interrupted > 0 ? `${figure.interrupted} cut off` : null,
    ].filter((part): part is string => part !== null);
    lines.push(
      `${countOfTotal(figure.succeeded, figure.runs, 'backup')} succeeded${misses.length > 0 ? `; ${misses.join(', ')}` : ''}`,
    );
    lines.push(`${figure.scheduled} by the schedules, ${figure.manual} by hand`);
  }
  if (figure.daysWatched > 0) {
    lines.push(
      `A good backup on ${figure.daysWithBackup} of ${countOf(figure.daysWatched, 'day')}`,
    );
  }
  const aside = [
    figure.running > 0 ? `${figure.running} running` : null,
    figure.cancelled > 0 ? `${figure.cancelled} cancelled` : null,
  ].filter((part): part is string => part !== null);
  if (aside.length > 0) lines.push(`Not counted: ${aside.join(', ')}`);
  if (figure.lastFailure) {
    const why = figure.lastFailure.error?.message ?? figure.lastFailure.title;
    lines.push(`Last failure ${formatDateTime(figure.lastFailure.at)}: ${why}`);
  }
  const shortDays = figure.daysWithBackup < figure.daysWatched;
  if (figure.rate === null) {
    lines.unshift(
      figure.daysWatched > 0
        ? 'No backup ran in these days.'
        : 'No backup has run yet: the figure starts with the first.',
    );
    return { value: 'No runs yet', warning: figure.daysWatched > 0, lines };
  }
  return { value: formatRate(figure.rate), warning: figure.rate < figure.goal || shortDays, lines };
}

/** The last verified backup in words: its age, what and when, and what is wrong with it. */
export function verifiedText(figures: VerificationFigures, now: Date = new Date()): FigureText {
  const { last, newerUnverified } = figures;
  const newer =
    newerUnverified > 0 ? `${countOf(newerUnverified, 'backup')} newer, not verified yet` : null;
  if (!last) {
    return {
      value: 'None yet',
      warning: true,
      lines: [
        'No backup has been read back whole yet. Verify one on the Backups page; the scheduled check runs on Wednesdays.',
        ...(newer ? [newer] : []),
      ],
    };
  }
  const lines = [
    `${backupKindName(last.kind)} backup of ${formatDateTime(last.finishedAt)}`,
    last.verifiedAt ? `Verified ${formatAgo(last.verifiedAt, now)}` : 'Verified',
  ];
  if (last.problem) lines.push(`Cannot be restored now: ${last.problem}`);
  if (newer) lines.push(newer);
  return {
    value: formatAgo(last.finishedAt, now).replace(/ ago$/, ' old'),
    warning: last.problem !== null,
    lines,
  };
}
