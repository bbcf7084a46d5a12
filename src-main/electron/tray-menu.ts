import path from 'node:path';
import type { EventName, PayloadOf } from '../../src-shared/contract';
import { assertNever } from '../../src-shared/errors';
import type { JobKind, JobProgress, JobRecord } from '../../src-shared/models/jobs';
import { alertTrayStatus } from '../engine/usage/usage-alerts';
import { backupStateAfter, backupStatus, type TrayBackupState } from './backup-tray';
import type { TrayUnattendedState } from './unattended-tray';

/** The job the tray shows while it runs. */
export interface TrayJob {
  id: string;
  kind: JobKind;
  title: string;
  /** Whole percent done, or null while the job's totals are unknown. */
  percent: number | null;
}

/** What the tray shows: built from engine events, nothing else. */
export interface TrayState {
  rootPath: string | null;
  runningJob: TrayJob | null;
  /** The message of the last job that failed, until one succeeds or another root opens. */
  lastError: string | null;
  /** The last disk warning (a category growing too fast, low free space), until another root opens. */
  alert?: string | null;
  /** The last backup and the last backup failure (backup-tray.ts); absent before they are known. */
  backup?: TrayBackupState;
  /** Backups stopped, or wait for power (unattended-tray.ts); absent before they are known. */
  unattended?: TrayUnattendedState;
}

/** Which tray icon to show. */
export type TrayIcon = 'idle' | 'running' | 'failed';

/**
 * What a tray item does. Adding a command here makes `buildTrayMenu` in tray.ts a compile
 * error until it has a function, so a menu item cannot be wired to nothing.
 */
export type TrayCommand = 'open-window' | 'back-up-now' | 'restore-latest' | 'quit';

/** One tray menu item as plain data; tray.ts turns it into Electron's template. */
export type TrayMenuItem =
  | { type: 'normal'; label: string; enabled: false }
  | { type: 'normal'; label: string; enabled: true; command: TrayCommand }
  | { type: 'separator' };

const separator: TrayMenuItem = { type: 'separator' };
const MAX_ERROR_CHARS = 60;

function command(label: string, id: TrayCommand): TrayMenuItem {
  return { type: 'normal', label, enabled: true, command: id };
}

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** The one-line status at the top of the menu, also the tray's tooltip. */
export function trayStatus(state: TrayState, now: Date = new Date()): string {
  if (state.runningJob) {
    const { title, percent } = state.runningJob;
    return percent === null ? `${title}…` : `${title} — ${percent}%`;
  }
  if (state.rootPath === null) return 'No data folder chosen';
  if (state.unattended?.stopped) return shorten(state.unattended.stopped, MAX_ERROR_CHARS);
  if (state.backup?.backupFailure) return backupStatus(state.backup, now);
  if (state.lastError !== null) return `Failed: ${shorten(state.lastError, MAX_ERROR_CHARS)}`;
  if (state.unattended?.waitingForPower) return state.unattended.waitingForPower;
  if (state.alert) return shorten(state.alert, MAX_ERROR_CHARS);
  if (state.backup) return backupStatus(state.backup, now);
  return `Watching ${path.basename(state.rootPath) || state.rootPath}`;
}

/** The tray icon for a state: a running job wins over an old failure; stopped backups fail it. */
export function trayIconFor(state: TrayState): TrayIcon {
  if (state.runningJob) return 'running';
  return state.lastError === null && !state.unattended?.stopped ? 'idle' : 'failed';
}

/**
 * The tray menu: a disabled status line, then the commands.
 *
 * Later issues add their items (Back up now, Restore latest …) to the middle group.
 */
export function trayMenuTemplate(
  state: TrayState,
  now: Date = new Date(),
): ReadonlyArray<TrayMenuItem> {
  const backingUp = state.runningJob?.kind === 'backup';
  return [
    { type: 'normal', label: trayStatus(state, now), enabled: false },
    separator,
    command('Open Tend', 'open-window'),
    state.rootPath === null || backingUp
      ? { type: 'normal', label: 'Back up now', enabled: false }
      : command('Back up now', 'back-up-now'),
    // Opens the window on the one confirmation; nothing changes until the person says yes.
    state.rootPath === null || state.runningJob !== null
      ? { type: 'normal', label: 'Restore latest backup…', enabled: false }
      : command('Restore latest backup…', 'restore-latest'),
    separator,
    command('Quit Tend', 'quit'),
  ];
}

/** Whole percent of a job's progress by bytes, else files; null while totals are unknown. */
export function percentDone(progress: JobProgress): number | null {
  const ratio =
    progress.bytesTotal !== null && progress.bytesTotal > 0
      ? progress.bytesDone / progress.bytesTotal
      : progress.filesTotal !== null && progress.filesTotal > 0
        ? progress.filesDone / progress.filesTotal
        : null;
  if (ratio === null || !Number.isFinite(ratio)) return null;
  return Math.min(100, Math.max(0, Math.floor(ratio * 100)));
}

function afterJob(state: TrayState, job: JobRecord): TrayState {
  const isShown = state.runningJob?.id === job.id;
  switch (job.state) {
    case 'queued':
      return state;
    case 'running':
      // Reads run beside a write; the tray follows the first job it saw until that one ends.
      if (state.runningJob && !isShown) return state;
      return {
        ...state,
        runningJob: {
          id: job.id,
          kind: job.kind,
          title: job.title,
          percent: percentDone(job.progress),
        },
      };
    case 'succeeded':
      return { ...state, runningJob: isShown ? null : state.runningJob, lastError: null };
    case 'cancelled':
      return { ...state, runningJob: isShown ? null : state.runningJob };
    case 'failed':
    case 'interrupted':
      return {
        ...state,
        runningJob: isShown ? null : state.runningJob,
        lastError: job.error?.message ?? `${job.title} ${job.state}.`,
      };
    default:
      return assertNever(job.state);
  }
}

/** What a newly opened root says about its last backup (nothing when it has none yet). */
function backupOfRoot(info: PayloadOf<'root:changed'>): Pick<TrayState, 'backup'> {
  return info.lastBackup
    ? { backup: { lastBackupAt: info.lastBackup.finishedAt, backupFailure: null } }
    : {};
}

/** The tray state after an engine event; events the tray does not show leave it as it was. */
export function trayStateAfter<E extends EventName>(
  state: TrayState,
  event: E,
  payload: PayloadOf<E>,
): TrayState {
  switch (event) {
    case 'job:progress':
    case 'job:finished': {
      const job = payload as JobRecord;
      const next = afterJob(state, job);
      if (job.kind !== 'backup') return next;
      const known = next.backup ?? { lastBackupAt: null, backupFailure: null };
      const after = backupStateAfter(known, job);
      // Unchanged news keeps the state object, so the tray knows not to redraw.
      return after === known ? next : { ...next, backup: after };
    }
    case 'alert:raised':
      return { ...state, alert: alertTrayStatus(payload as PayloadOf<'alert:raised'>) };
    case 'root:changed':
      // Jobs and failures belong to the root that was open; a new root starts clean (its
      // unattended state comes with its first `unattended:status`).
      return {
        rootPath: (payload as PayloadOf<'root:changed'>).path,
        runningJob: null,
        lastError: null,
        ...backupOfRoot(payload as PayloadOf<'root:changed'>),
      };
    default:
      return state;
  }
}

/** The events the tray listens to. */
export const trayEvents = ['job:progress', 'job:finished', 'root:changed', 'alert:raised'] as const;
