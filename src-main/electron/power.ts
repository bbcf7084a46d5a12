/**
 * The desktop app's ears for sleep and power: powerMonitor's suspend/resume, on-ac/on-battery
 * and unlock-screen, turned into the engine's wake (schedule-wake.ts). The decisions are here,
 * over any object shaped like powerMonitor, so they are tested with a fake one.
 */
import type { PowerSource } from '../engine/schedule/power-state';
import type { SleepSpan } from '../engine/schedule/run-conditions';

/** The part of Electron's powerMonitor Tend listens to. */
export interface PowerMonitorLike {
  on(
    event: 'suspend' | 'resume' | 'on-ac' | 'on-battery' | 'unlock-screen',
    listener: () => void,
  ): unknown;
  removeListener(event: string, listener: () => void): unknown;
  isOnBatteryPower(): boolean;
}

/** What the shell does on each. */
export interface PowerHandlers {
  /** The machine woke (with how long it slept, when known), power came back, the screen was unlocked. */
  wake(sleep: SleepSpan | null): void;
  /** Power changed: the tray reads the status again (a run may now wait for power). */
  powerChanged(): void;
}

/**
 * Listens to powerMonitor; returns the function that stops listening.
 *
 * On resume the span slept is known from the suspend before it; a resume without one (the
 * suspend was missed) still wakes, as a clock jump would. Plugging in power wakes too: a
 * backup that waited for it is owed and starts now.
 */
export function watchPower(
  monitor: PowerMonitorLike,
  handlers: PowerHandlers,
  now: () => Date = () => new Date(),
): () => void {
  let suspendedAt: Date | null = null;
  const listeners: Array<[Parameters<PowerMonitorLike['on']>[0], () => void]> = [
    ['suspend', () => void (suspendedAt = now())],
    [
      'resume',
      () => {
        const sleep = suspendedAt ? { from: suspendedAt, to: now() } : null;
        suspendedAt = null;
        handlers.wake(sleep);
      },
    ],
    [
      'on-ac',
      () => {
        handlers.powerChanged();
        handlers.wake(null);
      },
    ],
    ['on-battery', () => handlers.powerChanged()],
    // Some desktops report no resume; the person coming back is as good a moment to catch up.
    ['unlock-screen', () => handlers.wake(null)],
  ];
  for (const [event, listener] of listeners) monitor.on(event, listener);
  return () => {
    for (const [event, listener] of listeners) monitor.removeListener(event, listener);
  };
}

/**
 * The battery as the desktop app knows it: on battery from powerMonitor (every platform), the
 * charge from the OS where Tend can read it (elsewhere unknown, which counts as low).
 */
export function electronPowerSource(monitor: PowerMonitorLike, os: PowerSource): PowerSource {
  return async () => {
    const onBattery = monitor.isOnBatteryPower();
    if (!onBattery) return { onBattery: false, batteryPercent: null };
    const fromOs = await os().catch(() => null);
    return { onBattery: true, batteryPercent: fromOs?.batteryPercent ?? null };
  };
}
