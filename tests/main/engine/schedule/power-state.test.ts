import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  powerFromPmset,
  powerFromSupplies,
  readLinuxPowerSupplies,
  type PowerSupply,
} from '../../../../src-main/engine/schedule/power-state';
import { tempDir, writeFile } from '../../../support/temp-dir';

const supply = (patch: Partial<PowerSupply>): PowerSupply => ({
  type: 'Battery',
  online: null,
  status: null,
  capacity: null,
  scope: null,
  ...patch,
});

describe('powerFromSupplies', () => {
  it.each([
    ['a server: no supplies', [], null],
    ['a desktop: mains only', [supply({ type: 'Mains', online: '1\n' })], null],
    [
      'a laptop on its charger',
      [
        supply({ type: 'Mains', online: '1\n' }),
        supply({ status: 'Charging\n', capacity: '55\n' }),
      ],
      { onBattery: false, batteryPercent: 55 },
    ],
    [
      'a laptop on battery',
      [
        supply({ type: 'Mains', online: '0\n' }),
        supply({ status: 'Discharging\n', capacity: '18\n' }),
      ],
      { onBattery: true, batteryPercent: 18 },
    ],
    [
      'two batteries: the mean charge',
      [
        supply({ status: 'Discharging', capacity: '40' }),
        supply({ status: 'Discharging', capacity: '20' }),
      ],
      { onBattery: true, batteryPercent: 30 },
    ],
    [
      "a mouse's battery says nothing about the machine",
      [supply({ status: 'Discharging', capacity: '5', scope: 'Device\n' })],
      null,
    ],
    [
      'a USB-C charger counts as power',
      [supply({ type: 'USB', online: '1' }), supply({ status: 'Discharging', capacity: '50' })],
      { onBattery: false, batteryPercent: 50 },
    ],
  ])('%s', (_name, supplies, expected) => {
    expect(powerFromSupplies(supplies)).toEqual(expected);
  });
});

describe('powerFromPmset', () => {
  it.each([
    [
      "Now drawing from 'Battery Power'\n -InternalBattery-0 (id=4653155)\t23%; discharging; 1:10 remaining present: true\n",
      { onBattery: true, batteryPercent: 23 },
    ],
    [
      "Now drawing from 'AC Power'\n -InternalBattery-0 (id=4653155)\t100%; charged; 0:00 remaining present: true\n",
      { onBattery: false, batteryPercent: 100 },
    ],
    ["Now drawing from 'AC Power'\n", null],
  ])('%j', (output, expected) => {
    expect(powerFromPmset(output)).toEqual(expected);
  });
});

describe('readLinuxPowerSupplies', () => {
  it('reads the attribute files of each supply, missing ones as null', async () => {
    const sys = tempDir();
    writeFile(path.join(sys, 'AC/type'), 'Mains\n');
    writeFile(path.join(sys, 'AC/online'), '0\n');
    writeFile(path.join(sys, 'BAT0/type'), 'Battery\n');
    writeFile(path.join(sys, 'BAT0/status'), 'Discharging\n');
    writeFile(path.join(sys, 'BAT0/capacity'), '12\n');
    const supplies = await readLinuxPowerSupplies(sys);
    expect(powerFromSupplies(supplies)).toEqual({ onBattery: true, batteryPercent: 12 });
    expect(await readLinuxPowerSupplies(path.join(sys, 'missing'))).toEqual([]);
  });
});
