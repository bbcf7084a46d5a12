/**
 * Whether the machine runs on battery, and how full it is, asked of the OS without Electron,
 * so `tend serve` and `tend run-due` hold scheduled backups back on a low battery as the
 * desktop app does. The desktop app passes its own source (Electron's powerMonitor).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PowerState } from './run-conditions';

/** Asks for the power state; null when it cannot be known (no battery, or no way to ask). */
export type PowerSource = () => Promise<PowerState | null>;

/** One entry of Linux's /sys/class/power_supply, as read from its attribute files. */
export interface PowerSupply {
  /** `Battery`, `Mains`, `USB`, `UPS` … */
  readonly type: string;
  /** `1` when a charger is plugged in (Mains, USB); absent for batteries. */
  readonly online: string | null;
  /** A battery's `Charging`, `Discharging`, `Full`, `Not charging`, `Unknown`. */
  readonly status: string | null;
  /** A battery's charge in percent. */
  readonly capacity: string | null;
  /** `Device` for a mouse's or a headset's battery, which says nothing about this machine. */
  readonly scope: string | null;
}

/**
 * The machine's power from Linux's power supplies: on battery when no charger is online and a
 * system battery discharges; the charge is the mean of the system batteries. Null on a
 * machine without a battery (a desktop, a server).
 */
export function powerFromSupplies(supplies: ReadonlyArray<PowerSupply>): PowerState | null {
  const batteries = supplies.filter(
    (supply) => supply.type === 'Battery' && supply.scope?.trim() !== 'Device',
  );
  if (batteries.length === 0) return null;
  const charger = supplies.some(
    (supply) => supply.type !== 'Battery' && supply.online?.trim() === '1',
  );
  const discharging = batteries.some((battery) => battery.status?.trim() === 'Discharging');
  const charges = batteries
    .map((battery) => Number.parseInt(battery.capacity ?? '', 10))
    .filter((value) => Number.isFinite(value));
  const batteryPercent =
    charges.length === 0
      ? null
      : Math.round(charges.reduce((sum, value) => sum + value, 0) / charges.length);
  return { onBattery: !charger && discharging, batteryPercent };
}

/**
 * The machine's power from macOS's `pmset -g batt`: "Now drawing from 'Battery Power'" and
 * a line per battery with its percent. Null when there is no battery.
 */
export function powerFromPmset(output: string): PowerState | null {
  const source = /Now drawing from '([^']+)'/.exec(output)?.[1] ?? null;
  const percents = [...output.matchAll(/\t(\d{1,3})%;/g)].map((match) => Number(match[1]));
  if (percents.length === 0) return null;
  return {
    onBattery: source === 'Battery Power',
    batteryPercent: Math.round(percents.reduce((sum, value) => sum + value, 0) / percents.length),
  };
}

async function readAttribute(folder: string, name: string): Promise<string | null> {
  return fs.readFile(path.join(folder, name), 'utf8').catch(() => null);
}

/** Reads Linux's power supplies from `sysDir` (/sys/class/power_supply). */
export async function readLinuxPowerSupplies(
  sysDir = '/sys/class/power_supply',
): Promise<PowerSupply[]> {
  const names = await fs.readdir(sysDir).catch(() => [] as string[]);
  return Promise.all(
    names.map(async (name) => {
      const folder = path.join(sysDir, name);
      return {
        type: (await readAttribute(folder, 'type'))?.trim() ?? '',
        online: await readAttribute(folder, 'online'),
        status: await readAttribute(folder, 'status'),
        capacity: await readAttribute(folder, 'capacity'),
        scope: await readAttribute(folder, 'scope'),
      };
    }),
  );
}

function pmset(): Promise<string> {
  return new Promise((resolve) => {
    execFile('pmset', ['-g', 'batt'], { timeout: 5_000 }, (error, stdout) =>
      resolve(error ? '' : stdout),
    );
  });
}

/**
 * The power source of this OS: Linux's sysfs, macOS's pmset; elsewhere (Windows without
 * Electron) unknown, which never holds a backup back.
 */
export function osPowerSource(platform: NodeJS.Platform = process.platform): PowerSource {
  if (platform === 'linux') return async () => powerFromSupplies(await readLinuxPowerSupplies());
  if (platform === 'darwin') return async () => powerFromPmset(await pmset());
  return async () => null;
}
