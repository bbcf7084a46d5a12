import { describe, expect, it } from 'vitest';
import { emptyProgress, type JobRecord } from '../../../../src-shared/models/jobs';
import {
  clockJump,
  effectiveLastRun,
  interruptedBySleep,
  owedRun,
  powerDeferral,
  slotAlreadyRun,
} from '../../../../src-main/engine/schedule/run-conditions';

describe('powerDeferral', () => {
  it.each([
    ['no battery (a desktop, a server)', null, 30, false],
    ['on power, battery low', { onBattery: false, batteryPercent: 5 }, 30, false],
    ['on battery, well charged', { onBattery: true, batteryPercent: 80 }, 30, false],
    ['on battery, exactly the level', { onBattery: true, batteryPercent: 30 }, 30, false],
    ['on battery, under the level', { onBattery: true, batteryPercent: 29 }, 30, true],
    ['on battery, charge unknown', { onBattery: true, batteryPercent: null }, 30, true],
    [
      'on battery, the level set to 0 (never wait)',
      { onBattery: true, batteryPercent: 3 },
      0,
      false,
    ],
  ])('%s → waits: %s', (_name, power, min, waits) => {
    const reason = powerDeferral(power, min);
    expect(reason !== null).toBe(waits);
    if (reason) expect(reason).toMatch(/wait for power/);
  });

  it('says the charge and the level', () => {
    expect(powerDeferral({ onBattery: true, batteryPercent: 12 }, 30)).toBe(
      'On battery at 12% (under 30%): scheduled backups wait for power.',
    );
  });
});

describe('clockJump', () => {
  const at = (wallMs: number, monoMs: number) => ({ wallMs, monoMs });
  it.each([
    ['both clocks moved 30 s', at(0, 0), at(30_000, 30_000), null],
    ['a slew of a second', at(0, 0), at(31_000, 30_000), null],
    ['slept 8 hours (monotonic stood still)', at(0, 0), at(8 * 3600_000, 30_000), 'forward'],
    ['clock set forward a day', at(0, 0), at(86_400_000 + 30_000, 30_000), 'forward'],
    ['clock set back a day', at(86_400_000, 0), at(30_000, 30_000), 'back'],
  ])('%s → %s', (_name, before, after, direction) => {
    expect(clockJump(before, after)?.direction ?? null).toBe(direction);
  });
});

describe('owedRun, effectiveLastRun, slotAlreadyRun', () => {
  const daily = '0 3 * * *';
  const d = (iso: string) => new Date(iso);
  it.each([
    // [last run, now, owed slot]
    ['2026-11-20T03:00:05Z', '2026-11-20T10:00:00Z', null],
    ['2026-11-20T03:00:05Z', '2026-11-21T03:00:00Z', '2026-11-21T03:00:00.000Z'],
    // The clock moved forward a day: one run owed, the slot that passed.
    ['2026-11-20T03:00:05Z', '2026-11-21T10:00:00Z', '2026-11-21T03:00:00.000Z'],
    // The clock moved back a day: the last run lies in the future; nothing runs again now.
    ['2026-11-21T03:00:05Z', '2026-11-20T10:00:00Z', null],
  ])('last %s, now %s → %s', (last, now, owed) => {
    expect(owedRun(daily, d(last), d(now))?.toISOString() ?? null).toBe(owed);
  });

  it('counts a last run in the future from now', () => {
    const now = d('2026-11-20T10:00:00Z');
    expect(effectiveLastRun(d('2026-11-21T03:00:05Z'), now)).toEqual(now);
    expect(effectiveLastRun(d('2026-11-19T03:00:05Z'), now)).toEqual(d('2026-11-19T03:00:05Z'));
  });

  it.each([
    [null, '2026-11-21T03:00:00Z', false],
    // Another Tend ran the 03:00 slot a second ago: the app's tick skips it.
    ['2026-11-21T03:00:01Z', '2026-11-21T03:00:02Z', true],
    ['2026-11-20T03:00:01Z', '2026-11-21T03:00:00Z', false],
    // A last run in the future (the clock went back) covers nothing.
    ['2026-11-22T03:00:01Z', '2026-11-21T03:00:00Z', false],
  ])('slot taken? last %s at %s → %s', (last, now, taken) => {
    expect(slotAlreadyRun(daily, last ? d(last) : null, d(now))).toBe(taken);
  });
});

describe('interruptedBySleep', () => {
  const sleep = { from: new Date('2026-11-20T03:10:00Z'), to: new Date('2026-11-20T07:00:00Z') };
  const job = (patch: Partial<JobRecord>): JobRecord => ({
    id: 'j',
    kind: 'backup',
    title: 'Scheduled backup (critical)',
    state: 'failed',
    writesRoot: true,
    progress: { ...emptyProgress },
    createdAt: '2026-11-20T03:00:00Z',
    startedAt: '2026-11-20T03:00:01Z',
    finishedAt: '2026-11-20T07:00:01Z',
    result: null,
    error: { code: 'DATA_LOCKED', message: 'The data lock was lost' },
    ...patch,
  });
  it.each([
    ['failed on wake after running into the sleep', job({}), true],
    ['marked interrupted', job({ state: 'interrupted' }), true],
    ['succeeded across the sleep', job({ state: 'succeeded', error: null }), false],
    ['cancelled by the person', job({ state: 'cancelled' }), false],
    ['failed before the sleep began', job({ finishedAt: '2026-11-20T03:05:00Z' }), false],
    ['started after the wake', job({ startedAt: '2026-11-20T07:01:00Z' }), false],
  ])('%s → %s', (_name, record, cut) => {
    expect(interruptedBySleep(record, sleep)).toBe(cut);
  });
});
