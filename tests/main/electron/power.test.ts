import { describe, expect, it } from 'vitest';
import {
  electronPowerSource,
  watchPower,
  type PowerMonitorLike,
} from '../../../src-main/electron/power';
import type { SleepSpan } from '../../../src-main/engine/schedule/run-conditions';

/** powerMonitor faked: it keeps its listeners, and the test emits. */
function fakeMonitor(onBattery = false) {
  const listeners = new Map<string, Array<() => void>>();
  const monitor: PowerMonitorLike & {
    emit(event: string): void;
    count(): number;
    battery: boolean;
  } = {
    battery: onBattery,
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return monitor;
    },
    removeListener(event, listener) {
      listeners.set(
        event,
        (listeners.get(event) ?? []).filter((item) => item !== listener),
      );
      return monitor;
    },
    isOnBatteryPower: () => monitor.battery,
    emit: (event) => (listeners.get(event) ?? []).forEach((listener) => listener()),
    count: () => [...listeners.values()].reduce((sum, list) => sum + list.length, 0),
  };
  return monitor;
}

describe('watchPower', () => {
  it('wakes with the span slept on resume, wakes on power back and on unlock, refreshes on battery', () => {
    const monitor = fakeMonitor();
    const wakes: Array<SleepSpan | null> = [];
    let changes = 0;
    let now = new Date('2026-11-30T01:00:00Z');
    const stop = watchPower(
      monitor,
      { wake: (sleep) => wakes.push(sleep), powerChanged: () => (changes += 1) },
      () => now,
    );
    monitor.emit('suspend');
    now = new Date('2026-11-30T07:30:00Z');
    monitor.emit('resume');
    expect(wakes).toEqual([
      { from: new Date('2026-11-30T01:00:00Z'), to: new Date('2026-11-30T07:30:00Z') },
    ]);
    // A resume whose suspend was missed still wakes, without a span.
    monitor.emit('resume');
    expect(wakes.at(-1)).toBeNull();
    monitor.emit('on-battery');
    expect(changes).toBe(1);
    monitor.emit('on-ac');
    expect(changes).toBe(2);
    expect(wakes).toHaveLength(3);
    monitor.emit('unlock-screen');
    expect(wakes).toHaveLength(4);
    stop();
    expect(monitor.count()).toBe(0);
  });
});

describe('electronPowerSource', () => {
  it('takes on-battery from powerMonitor and the charge from the OS', async () => {
    const monitor = fakeMonitor(true);
    const source = electronPowerSource(monitor, async () => ({
      onBattery: false,
      batteryPercent: 22,
    }));
    expect(await source()).toEqual({ onBattery: true, batteryPercent: 22 });
    const unknown = electronPowerSource(monitor, async () => null);
    expect(await unknown()).toEqual({ onBattery: true, batteryPercent: null });
    monitor.battery = false;
    expect(await source()).toEqual({ onBattery: false, batteryPercent: null });
  });
});
