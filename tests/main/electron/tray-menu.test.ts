import { describe, expect, it } from 'vitest';
import {
  percentDone,
  trayEvents,
  trayIconFor,
  trayMenuTemplate,
  trayStateAfter,
  trayStatus,
  type TrayState,
} from '../../../src-main/electron/tray-menu';
import type { JobProgress, JobRecord, JobState } from '../../../src-shared/models/jobs';
import type { RootInfo } from '../../../src-shared/models/root';
import { profileInfo } from '../../support/profile-info';

const idleState: TrayState = { rootPath: '/home/ada/assistant', runningJob: null, lastError: null };

function progress(overrides: Partial<JobProgress> = {}): JobProgress {
  return {
    bytesDone: 0,
    bytesTotal: null,
    filesDone: 0,
    filesTotal: null,
    currentPath: null,
    etaSeconds: null,
    message: null,
    ...overrides,
  };
}

function job(overrides: Partial<JobRecord> & { id: string; state: JobState }): JobRecord {
  return {
    kind: 'backup',
    title: 'Backing up',
    writesRoot: true,
    progress: progress(),
    createdAt: '2026-11-22T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
    ...overrides,
  };
}

function rootInfo(rootPath: string): RootInfo {
  return {
    path: rootPath,
    profile: profileInfo(),
    stateDir: '/state/roots/0123456789abcdef',
    movedFrom: null,
    hasAssistantDb: true,
    hasLegacyData: false,
    disk: { freeBytes: 1, totalBytes: 2 },
    lastBackup: null,
  };
}

describe('trayStatus', () => {
  it.each<[string, TrayState, string]>([
    ['no root', { rootPath: null, runningJob: null, lastError: null }, 'No data folder chosen'],
    ['an idle root by its folder name', idleState, 'Watching assistant'],
    ['the filesystem root by its path', { ...idleState, rootPath: '/' }, 'Watching /'],
    [
      'a job with a percent',
      { ...idleState, runningJob: { id: 'j', kind: 'backup', title: 'Backing up', percent: 42 } },
      'Backing up — 42%',
    ],
    [
      'a job with unknown totals',
      {
        ...idleState,
        runningJob: { id: 'j', kind: 'usage-scan', title: 'Scanning', percent: null },
      },
      'Scanning…',
    ],
    [
      'a running job before an old failure',
      {
        ...idleState,
        lastError: 'disk full',
        runningJob: { id: 'j', kind: 'usage-scan', title: 'Scan', percent: 0 },
      },
      'Scan — 0%',
    ],
    ['a failure', { ...idleState, lastError: 'The disk is full.' }, 'Failed: The disk is full.'],
    [
      'a failure over several lines, on one line',
      { ...idleState, lastError: '  first\n\n  second\tthird ' },
      'Failed: first second third',
    ],
    [
      'no root before a failure',
      { rootPath: null, runningJob: null, lastError: 'boom' },
      'No data folder chosen',
    ],
  ])('shows %s', (_name, state, expected) => {
    expect(trayStatus(state)).toBe(expected);
  });

  it('cuts a long failure to 60 characters with an ellipsis', () => {
    const status = trayStatus({ ...idleState, lastError: 'x'.repeat(200) });
    expect(status).toBe(`Failed: ${'x'.repeat(59)}…`);
    expect(trayStatus({ ...idleState, lastError: 'y'.repeat(60) })).toBe(
      `Failed: ${'y'.repeat(60)}`,
    );
  });
});

describe('trayIconFor', () => {
  it.each<[string, TrayState, string]>([
    ['idle', idleState, 'idle'],
    ['idle without a root', { rootPath: null, runningJob: null, lastError: null }, 'idle'],
    ['failed', { ...idleState, lastError: 'boom' }, 'failed'],
    [
      'running',
      { ...idleState, runningJob: { id: 'j', kind: 'usage-scan', title: 'T', percent: 1 } },
      'running',
    ],
    [
      'running over a failure',
      {
        ...idleState,
        lastError: 'boom',
        runningJob: { id: 'j', kind: 'usage-scan', title: 'T', percent: 1 },
      },
      'running',
    ],
  ])('%s', (_name, state, icon) => {
    expect(trayIconFor(state)).toBe(icon);
  });
});

describe('trayMenuTemplate', () => {
  it('starts with the disabled status line and ends with Quit', () => {
    const items = trayMenuTemplate({ ...idleState, lastError: 'boom' });
    expect(items[0]).toEqual({ type: 'normal', label: 'Failed: boom', enabled: false });
    expect(items[1]).toEqual({ type: 'separator' });
    expect(items.at(-1)).toEqual({
      type: 'normal',
      label: 'Quit Tend',
      enabled: true,
      command: 'quit',
    });
    expect(items.at(-2)).toEqual({ type: 'separator' });
  });

  it('offers Open Tend, and every enabled item runs a command', () => {
    const items = trayMenuTemplate(idleState);
    expect(items).toContainEqual({
      type: 'normal',
      label: 'Open Tend',
      enabled: true,
      command: 'open-window',
    });
    for (const item of items) {
      if (item.type === 'normal' && item.enabled) expect(item.command).toEqual(expect.any(String));
    }
  });

  it('never puts two separators side by side or one at either end', () => {
    for (const state of [idleState, { ...idleState, rootPath: null }]) {
      const items = trayMenuTemplate(state);
      expect(items[0]?.type).toBe('normal');
      expect(items.at(-1)?.type).toBe('normal');
      items.forEach((item, i) => {
        if (item.type === 'separator') expect(items[i + 1]?.type).not.toBe('separator');
      });
    }
  });

  it('has unique labels', () => {
    const labels = trayMenuTemplate(idleState).flatMap((item) =>
      item.type === 'normal' ? [item.label] : [],
    );
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('percentDone', () => {
  it.each<[string, Partial<JobProgress>, number | null]>([
    ['unknown totals', {}, null],
    ['bytes', { bytesDone: 25, bytesTotal: 100 }, 25],
    ['bytes rounded down', { bytesDone: 999, bytesTotal: 1000 }, 99],
    ['bytes before files', { bytesDone: 1, bytesTotal: 10, filesDone: 9, filesTotal: 10 }, 10],
    ['files when bytes are unknown', { filesDone: 3, filesTotal: 4 }, 75],
    ['files when the byte total is zero', { bytesTotal: 0, filesDone: 1, filesTotal: 2 }, 50],
    ['zero totals', { bytesTotal: 0, filesTotal: 0 }, null],
    ['capped at 100', { bytesDone: 150, bytesTotal: 100 }, 100],
    ['never negative', { bytesDone: -5, bytesTotal: 100 }, 0],
    ['done', { filesDone: 7, filesTotal: 7 }, 100],
  ])('%s', (_name, overrides, expected) => {
    expect(percentDone(progress(overrides))).toBe(expected);
  });
});

describe('trayStateAfter', () => {
  const running = job({ id: 'w', state: 'running', title: 'Backing up' });
  const showing: TrayState = {
    ...idleState,
    runningJob: { id: 'w', kind: 'backup', title: 'Backing up', percent: null },
  };

  it('listens to job progress, job ends and root changes', () => {
    expect([...trayEvents].sort()).toEqual([
      'alert:raised',
      'job:finished',
      'job:progress',
      'root:changed',
    ]);
  });

  it('leaves the state alone for a queued job', () => {
    const state = trayStateAfter(idleState, 'job:progress', job({ id: 'q', state: 'queued' }));
    expect(state).toBe(idleState);
  });

  it('shows a running job with its percent, and follows its progress', () => {
    const started = trayStateAfter(idleState, 'job:progress', running);
    expect(started.runningJob).toEqual({
      id: 'w',
      kind: 'backup',
      title: 'Backing up',
      percent: null,
    });
    const later = trayStateAfter(started, 'job:progress', {
      ...running,
      progress: progress({ bytesDone: 40, bytesTotal: 80 }),
    });
    expect(later.runningJob).toEqual({ id: 'w', kind: 'backup', title: 'Backing up', percent: 50 });
  });

  it('keeps showing the write while a read job runs beside it, until the write ends', () => {
    const read = job({
      id: 'r',
      state: 'running',
      kind: 'usage-scan',
      title: 'Scanning',
      writesRoot: false,
    });
    const both = trayStateAfter(showing, 'job:progress', read);
    expect(both.runningJob?.id).toBe('w');
    // The read ends first: the write stays on the tray.
    const readDone = trayStateAfter(both, 'job:finished', { ...read, state: 'succeeded' });
    expect(readDone.runningJob?.id).toBe('w');
    // The write's own progress still moves the percent.
    const moved = trayStateAfter(readDone, 'job:progress', {
      ...running,
      progress: progress({ filesDone: 1, filesTotal: 4 }),
    });
    expect(moved.runningJob).toEqual({ id: 'w', kind: 'backup', title: 'Backing up', percent: 25 });
    const writeDone = trayStateAfter(moved, 'job:finished', { ...running, state: 'succeeded' });
    expect(writeDone.runningJob).toBeNull();
    expect(trayIconFor(writeDone)).toBe('idle');
  });

  it('a failed read beside the write records the failure but keeps the write shown', () => {
    const read = job({ id: 'r', state: 'failed', title: 'Scanning', writesRoot: false });
    const after = trayStateAfter(showing, 'job:finished', {
      ...read,
      error: { code: 'FILE_UNREADABLE', message: 'Cannot read x.' },
    });
    expect(after.runningJob?.id).toBe('w');
    expect(after.lastError).toBe('Cannot read x.');
    expect(trayIconFor(after)).toBe('running');
  });

  it.each<[JobState, string | null]>([
    ['succeeded', null],
    ['cancelled', 'old failure'],
    ['failed', 'The disk is full.'],
    ['interrupted', 'The disk is full.'],
  ])('the shown job ending as %s clears it; the last error becomes %s', (state, lastError) => {
    const before: TrayState = { ...showing, lastError: 'old failure' };
    const error =
      state === 'failed' || state === 'interrupted'
        ? { code: 'NO_SPACE' as const, message: 'The disk is full.' }
        : null;
    const after = trayStateAfter(before, 'job:finished', { ...running, state, error });
    expect(after.runningJob).toBeNull();
    expect(after.lastError).toBe(lastError);
    expect(after.rootPath).toBe(before.rootPath);
  });

  it.each<JobState>(['failed', 'interrupted'])(
    'a job %s without an error says so by its title',
    (state) => {
      const after = trayStateAfter(showing, 'job:finished', { ...running, state });
      expect(after.lastError).toBe(`Backing up ${state}.`);
      expect(trayIconFor(after)).toBe('failed');
    },
  );

  it('a success clears an old failure even when another job is shown', () => {
    const before: TrayState = { ...showing, lastError: 'old failure' };
    const after = trayStateAfter(before, 'job:finished', job({ id: 'other', state: 'succeeded' }));
    expect(after.lastError).toBeNull();
    expect(after.runningJob?.id).toBe('w');
  });

  it('a cancelled job elsewhere changes nothing shown', () => {
    const after = trayStateAfter(showing, 'job:finished', job({ id: 'other', state: 'cancelled' }));
    expect(after).toEqual(showing);
  });

  it('a new root starts clean', () => {
    const before: TrayState = { ...showing, lastError: 'boom' };
    const after = trayStateAfter(before, 'root:changed', rootInfo('/data/other'));
    expect(after).toEqual({ rootPath: '/data/other', runningJob: null, lastError: null });
  });

  it('ignores events it does not show', () => {
    const after = trayStateAfter(showing, 'settings:changed', {} as never);
    expect(after).toBe(showing);
  });
});
