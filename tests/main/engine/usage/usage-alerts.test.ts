import { describe, expect, it } from 'vitest';
import type { Category } from '../../../../src-shared/models/categories';
import { defaultSettings } from '../../../../src-shared/models/settings';
import {
  alertNotification,
  alertsFor,
  alertsToRaise,
  MIN_ALERT_GROWTH_BYTES,
  type SnapshotFigures,
} from '../../../../src-main/engine/usage/usage-alerts';

const MB = 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-11-23T12:00:00Z');
const thresholds = defaultSettings().alerts;

function snapshot(daysAgo: number, disposable: number, freeBytes: number | null = 100e9) {
  const byCategory: Record<Category, number> = {
    irreplaceable: 500 * MB,
    rebuildable: 100 * MB,
    redownloadable: 1000 * MB,
    disposable,
  };
  return { takenAt: new Date(now.getTime() - daysAgo * DAY), byCategory, freeBytes };
}

describe('alertsFor', () => {
  const cases: Array<[string, SnapshotFigures[], SnapshotFigures, string[]]> = [
    ['no history', [], snapshot(0, 900 * MB), []],
    ['steady', [snapshot(8, 100 * MB)], snapshot(0, 110 * MB), []],
    [
      'logs tripled in a week',
      [snapshot(8, 100 * MB), snapshot(7, 100 * MB)],
      snapshot(0, 300 * MB),
      ['growth:disposable'],
    ],
    ['exactly the factor is not more than it', [snapshot(7, 100 * MB)], snapshot(0, 200 * MB), []],
    [
      'tripled in three days counts',
      [snapshot(3, 100 * MB)],
      snapshot(0, 300 * MB),
      ['growth:disposable'],
    ],
    [
      'history younger than a day is no baseline',
      [snapshot(0.5, 10 * MB)],
      snapshot(0, 300 * MB),
      [],
    ],
    [
      'tiny growth never alerts',
      [snapshot(8, 1 * MB)],
      snapshot(0, 1 * MB + MIN_ALERT_GROWTH_BYTES - 1),
      [],
    ],
    ['from nothing is not a factor', [snapshot(8, 0)], snapshot(0, 500 * MB), []],
    ['low free space', [], snapshot(0, 1 * MB, 1e9), ['free-space']],
    ['unknown free space', [], snapshot(0, 1 * MB, null), []],
  ];
  it.each(cases)('%s', (_name, history, latest, keys) => {
    expect(alertsFor(latest, history, thresholds, now).map((a) => a.key)).toEqual(keys);
  });

  it('says what grew, by how much, and against which threshold', () => {
    const [alert] = alertsFor(snapshot(0, 300 * MB), [snapshot(7, 100 * MB)], thresholds, now);
    expect(alert).toMatchObject({ kind: 'growth', category: 'disposable', value: 3, threshold: 2 });
    expect(alert!.title).toBe('Disposable data grew 3.0× in 7 days');
    expect(alertNotification(alert!).title).toContain('Disposable data grew');
  });
});

describe('alertsToRaise', () => {
  it('raises each key at most once a day', () => {
    const alerts = alertsFor(snapshot(0, 300 * MB, 1e9), [snapshot(7, 100 * MB)], thresholds, now);
    const last = new Map([
      ['free-space', new Date(now.getTime() - 2 * 60 * 60 * 1000)],
      ['growth:disposable', new Date(now.getTime() - 25 * 60 * 60 * 1000)],
    ]);
    expect(alertsToRaise(alerts, last, now).map((a) => a.key)).toEqual(['growth:disposable']);
    expect(alertsToRaise(alerts, new Map(), now)).toHaveLength(2);
  });
});
