import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../../../src-main/engine/catalog/catalog';
import {
  monthGrowth,
  monthStart,
  readMonthGrowth,
  type SnapshotBytes,
} from '../../../../src-main/engine/health/month-growth';
import { UsageHistory } from '../../../../src-main/engine/usage/usage-history';
import type { Category } from '../../../../src-shared/models/categories';
import type { UsageReport } from '../../../../src-shared/models/usage';
import { tempDir } from '../../../support/temp-dir';

const MIB = 1024 * 1024;

function snapshot(takenAt: string, bytes: Readonly<Record<Category, number>>): SnapshotBytes {
  const totalBytes = Object.values(bytes).reduce((sum, value) => sum + value, 0);
  return { takenAt, totalBytes, byCategory: bytes };
}

const base = snapshot('2026-10-31T18:30:00.000Z', {
  irreplaceable: 100 * MIB,
  rebuildable: 40 * MIB,
  redownloadable: 0,
  disposable: 10 * MIB,
});
const latest = snapshot('2026-11-30T06:30:00.000Z', {
  irreplaceable: 130 * MIB,
  rebuildable: 40 * MIB,
  redownloadable: 2000 * MIB,
  disposable: 4 * MIB,
});

describe('monthStart', () => {
  it.each([
    ['2026-11-30T23:59:59.999Z', '2026-11-01'],
    ['2026-12-01T00:00:00.000Z', '2026-12-01'],
    ['2027-01-15T08:00:00.000Z', '2027-01-01'],
  ])('%s is in the month of %s', (now, month) => {
    expect(monthStart(new Date(now))).toBe(month);
  });
});

describe('monthGrowth', () => {
  it('gives each category its bytes, change and rate from the base snapshot to the newest', () => {
    const growth = monthGrowth('2026-11-01', base, latest, true);
    expect(growth.categories).toEqual([
      {
        category: 'irreplaceable',
        fromBytes: 100 * MIB,
        toBytes: 130 * MIB,
        deltaBytes: 30 * MIB,
        ratio: 0.3,
      },
      { category: 'rebuildable', fromBytes: 40 * MIB, toBytes: 40 * MIB, deltaBytes: 0, ratio: 0 },
      {
        category: 'redownloadable',
        fromBytes: 0,
        toBytes: 2000 * MIB,
        deltaBytes: 2000 * MIB,
        ratio: null,
      },
      {
        category: 'disposable',
        fromBytes: 10 * MIB,
        toBytes: 4 * MIB,
        deltaBytes: -6 * MIB,
        ratio: -0.6,
      },
    ]);
    expect(growth.total).toEqual({
      fromBytes: 150 * MIB,
      toBytes: 2174 * MIB,
      deltaBytes: 2024 * MIB,
      ratio: 2024 / 150,
    });
    expect(growth).toMatchObject({
      month: '2026-11-01',
      fromAt: base.takenAt,
      toAt: latest.takenAt,
      wholeMonth: true,
      goalRatio: 0.5,
    });
  });

  it('says nothing grew, with no moments, before any scan', () => {
    const growth = monthGrowth('2026-11-01', null, null, false);
    expect(growth).toMatchObject({ fromAt: null, toAt: null, wholeMonth: false });
    expect(growth.total).toEqual({ fromBytes: 0, toBytes: 0, deltaBytes: 0, ratio: null });
  });
});

describe('readMonthGrowth', () => {
  function catalogWith(...snapshots: SnapshotBytes[]) {
    const catalog = openCatalog(path.join(tempDir(), 'catalog.db'));
    const history = new UsageHistory(catalog);
    for (const item of snapshots) {
      history.record({
        scannedAt: item.takenAt,
        totals: { apparentBytes: item.totalBytes, allocatedBytes: item.totalBytes, files: 1 },
        disk: { freeBytes: 1, totalBytes: 2 },
        categories: Object.entries(item.byCategory).map(([category, bytes]) => ({
          category: category as Category,
          apparentBytes: bytes,
          allocatedBytes: bytes,
          files: 1,
        })),
      } as unknown as UsageReport);
    }
    return catalog;
  }
  const grown = (takenAt: string, irreplaceable: number) =>
    snapshot(takenAt, { ...latest.byCategory, irreplaceable: irreplaceable * MIB });

  it('compares the newest snapshot with the last one taken by the 1st', () => {
    const catalog = catalogWith(
      grown('2026-10-15T06:30:00.000Z', 50),
      grown('2026-10-31T23:00:00.000Z', 100),
      grown('2026-11-02T06:30:00.000Z', 110),
      grown('2026-11-29T06:30:00.000Z', 180),
    );
    const growth = readMonthGrowth(catalog, new Date('2026-11-30T12:00:00.000Z'));
    expect(growth.categories[0]).toEqual({
      category: 'irreplaceable',
      fromBytes: 100 * MIB,
      toBytes: 180 * MIB,
      deltaBytes: 80 * MIB,
      ratio: 0.8,
    });
    expect(growth).toMatchObject({
      fromAt: '2026-10-31T23:00:00.000Z',
      toAt: '2026-11-29T06:30:00.000Z',
      wholeMonth: true,
    });
    catalog.close();
  });

  it('starts from the month’s first snapshot when the history begins within the month', () => {
    const catalog = catalogWith(
      grown('2026-11-10T06:30:00.000Z', 100),
      grown('2026-11-20T06:30:00.000Z', 120),
    );
    const growth = readMonthGrowth(catalog, new Date('2026-11-30T12:00:00.000Z'));
    expect(growth).toMatchObject({ fromAt: '2026-11-10T06:30:00.000Z', wholeMonth: false });
    expect(growth.categories[0]?.deltaBytes).toBe(20 * MIB);
    catalog.close();
  });

  it('leaves out a snapshot stamped after now (a clock set back)', () => {
    const catalog = catalogWith(
      grown('2026-11-01T00:00:00.000Z', 100),
      grown('2026-11-20T06:30:00.000Z', 120),
      grown('2026-12-24T06:30:00.000Z', 900),
    );
    const growth = readMonthGrowth(catalog, new Date('2026-11-30T12:00:00.000Z'));
    expect(growth).toMatchObject({
      fromAt: '2026-11-01T00:00:00.000Z',
      toAt: '2026-11-20T06:30:00.000Z',
      wholeMonth: true,
    });
    expect(growth.categories[0]?.deltaBytes).toBe(20 * MIB);
    catalog.close();
  });
});
