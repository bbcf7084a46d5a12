import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import {
  writeGeneratedHistory,
  type GeneratedHistory,
} from '../../../../src-main/engine/health/generated-history';
import { healthFigures } from '../../../../src-main/engine/health/health-figures';
import { HealthFiguresSchema } from '../../../../src-shared/models/health';
import { categories } from '../../../../src-shared/models/categories';
import { tempDir } from '../../../support/temp-dir';

const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

const DAY_MS = 86_400_000;

/** An engine on a new root with a year of generated history in its catalog. */
async function yearOfHistory(now: Date): Promise<{
  engine: Engine;
  history: GeneratedHistory;
  destination: string;
}> {
  const base = tempDir();
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  engines.push(engine);
  await engine.call('root:create', { path: path.join(base, 'root') });
  const destination = path.join(base, 'disk', 'tend');
  const history = writeGeneratedHistory(engine.requireSession().catalog, {
    now,
    days: 365,
    destination,
  });
  return { engine, history, destination };
}

/** The figures worked out from the generator's ledger, plainly, without the catalog. */
function expectedFigures(history: GeneratedHistory, now: Date) {
  const today = now.toISOString().slice(0, 10);
  const firstDay = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * DAY_MS)
    .toISOString()
    .slice(0, 10);
  const inWindow = history.runs.filter((run) => run.createdAt.slice(0, 10) >= firstDay);
  const count = (outcome: string) => inWindow.filter((run) => run.outcome === outcome).length;
  const counted = inWindow.filter((run) => run.outcome !== 'cancelled');
  const goodDays = new Set(
    inWindow.filter((run) => run.outcome === 'succeeded').map((run) => run.createdAt.slice(0, 10)),
  );
  // The history is a year long: every day of the window before today was watched.
  const daysWatched = 29 + (goodDays.has(today) ? 1 : 0);

  const backups = [...history.backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const lastAt = backups.findIndex((backup) => backup.verify === 'verified');

  const month = `${today.slice(0, 7)}-01T00:00:00.000Z`;
  const seen = history.snapshots.filter((s) => s.takenAt <= now.toISOString());
  const base = seen.filter((s) => s.takenAt <= month).at(-1);
  const latest = seen.at(-1)!;
  return {
    success: {
      runs: counted.length,
      succeeded: count('succeeded'),
      failed: count('failed'),
      missed: count('missed'),
      interrupted: count('interrupted'),
      cancelled: count('cancelled'),
      scheduled: counted.filter((run) => run.scheduled).length,
      manual: counted.filter((run) => !run.scheduled).length,
      rate: count('succeeded') / counted.length,
      daysWatched,
      daysWithBackup: goodDays.size,
    },
    last: backups[lastAt]!,
    newerUnverified: backups.slice(0, lastAt).filter((b) => b.verify === 'unverified').length,
    base: base!,
    latest,
  };
}

describe('health figures on a year of history', () => {
  it('reads backup success, the last verified backup and this month’s growth exactly', async () => {
    const now = new Date();
    const { engine, history } = await yearOfHistory(now);
    // A year: about 365 daily runs and their weekly and manual neighbours, 1,460 snapshots.
    expect(history.runs.length).toBeGreaterThan(400);
    expect(history.snapshots.length).toBeGreaterThan(1400);

    const figures = await healthFigures(engine.requireSession(), engine, now);
    const expected = expectedFigures(history, now);

    expect(figures.backupSuccess).toMatchObject(expected.success);
    // Any 30 days of this history hold a missed run (one every 29 days): never 100% here.
    expect(figures.backupSuccess.missed).toBeGreaterThan(0);
    expect(figures.backupSuccess.rate).toBeLessThan(1);
    expect(figures.backupSuccess.lastFailure).not.toBeNull();

    expect(figures.verification.last).toMatchObject({
      id: expected.last.id,
      finishedAt: expected.last.finishedAt,
      verifiedAt: expected.last.verifiedAt,
      ageHours: Math.floor((now.getTime() - Date.parse(expected.last.finishedAt)) / 3_600_000),
      problem: null,
    });
    expect(figures.verification.newerUnverified).toBe(expected.newerUnverified);

    expect(figures.growth).toMatchObject({
      fromAt: expected.base.takenAt,
      toAt: expected.latest.takenAt,
      wholeMonth: true,
    });
    for (const [index, category] of categories.entries()) {
      expect(figures.growth.categories[index]).toMatchObject({
        category,
        fromBytes: expected.base.byCategory[category],
        toBytes: expected.latest.byCategory[category],
        deltaBytes: expected.latest.byCategory[category] - expected.base.byCategory[category],
      });
    }
    expect(figures.growth.total.deltaBytes).toBe(
      expected.latest.totalBytes - expected.base.totalBytes,
    );

    // Through the door, as the transports call it: the output passes its schema.
    const answered = await engine.call('health:figures');
    expect(HealthFiguresSchema.safeParse(answered).success).toBe(true);
    expect(answered.backupSuccess.runs).toBeGreaterThanOrEqual(expected.success.runs);
  });

  it('stands anywhere in the year: on the second day of a month', async () => {
    // The history ends on the 2nd at noon: the month has one day and a half in it.
    const now = new Date('2026-10-02T12:00:00.000Z');
    const { engine, history } = await yearOfHistory(now);
    const figures = await healthFigures(engine.requireSession(), engine, now);
    const expected = expectedFigures(history, now);
    expect(figures.backupSuccess).toMatchObject(expected.success);
    expect(figures.growth).toMatchObject({
      month: '2026-10-01',
      fromAt: expected.base.takenAt,
      toAt: expected.latest.takenAt,
    });
    // Logs and caches are cleaned on the 1st: the month's disposable growth is their refill.
    const disposable = figures.growth.categories.find((c) => c.category === 'disposable')!;
    expect(disposable.deltaBytes).toBe(
      expected.latest.byCategory.disposable - expected.base.byCategory.disposable,
    );
  });

  it('names the problem when the last verified backup’s archive has gone', async () => {
    const now = new Date();
    const { engine, history, destination } = await yearOfHistory(now);
    const { last } = expectedFigures(history, now);
    fs.rmSync(path.join(destination, `${last.id}.tar.gz`));
    const figures = await healthFigures(engine.requireSession(), engine, now);
    expect(figures.verification.last?.id).toBe(last.id);
    expect(figures.verification.last?.problem).toBe(
      `its archive ${last.id}.tar.gz is missing from ${destination}`,
    );
  });
});

describe('health figures on a real root', () => {
  it('counts real backups, a missed run and a full verification', async () => {
    const base = tempDir();
    const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    engines.push(engine);
    await engine.call('root:create', { path: path.join(base, 'root') });
    fs.writeFileSync(path.join(base, 'root', 'config', 'settings.yaml'), 'model: mini\n');
    const destination = path.join(base, 'disk', 'tend');
    fs.mkdirSync(destination, { recursive: true });
    const settings = await engine.call('settings:get');
    settings.backup.destination = destination;
    await engine.call('settings:set', { settings });
    const session = engine.requireSession();

    const first = await engine.call('backups:create', { kind: 'critical' });
    expect((await session.jobs.wait(first.id)).state).toBe('succeeded');
    const second = await engine.call('backups:create', { kind: 'full' });
    expect((await session.jobs.wait(second.id)).state).toBe('succeeded');
    const [newest] = (await engine.call('backups:list')).backups;
    const verify = await engine.call('backups:verify', { id: newest!.id, depth: 'full' });
    expect((await session.jobs.wait(verify.id)).state).toBe('succeeded');

    let figures = await engine.call('health:figures');
    expect(figures.backupSuccess).toMatchObject({
      runs: 2,
      succeeded: 2,
      manual: 2,
      scheduled: 0,
      rate: 1,
      daysWatched: 1,
      daysWithBackup: 1,
    });
    expect(figures.verification).toMatchObject({
      last: { id: newest!.id, kind: 'full', problem: null },
      newerUnverified: 0,
    });

    // The disk is unplugged and the daily run comes: a missed run, counted as a failure.
    fs.renameSync(path.join(base, 'disk'), path.join(base, 'unplugged'));
    const { job } = await engine.call('schedule:run-now', { id: 'backup:daily-critical' });
    expect((await session.jobs.wait(job!.id)).error?.code).toBe('DESTINATION_UNAVAILABLE');
    figures = await engine.call('health:figures');
    expect(figures.backupSuccess).toMatchObject({ runs: 3, succeeded: 2, missed: 1, rate: 2 / 3 });
    expect(figures.backupSuccess.lastFailure).toMatchObject({ outcome: 'missed' });
    expect(figures.verification.last?.problem).toMatch(/cannot be reached/);
  });
});
