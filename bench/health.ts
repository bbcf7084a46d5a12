/**
 * Health: the figures people watch (issue 13 item 5), each read in under 1 s on a year of
 * data. On a copy of the small demo root, with a year of generated catalog history (daily,
 * weekly and manual backup runs, verifications, usage scans, four usage snapshots a day) and
 * its interactions archived across the hot, warm and cold tiers, it times the two calls the
 * Overview's Health panel makes, through the engine's own door: `health:figures` and a year
 * of `analytics:daily`.
 *
 * There is no standard tool that computes these figures; the goal (1 s, seed 004's "< 1 second
 * for dashboard queries") is printed beside each median.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src-main/engine/engine';
import { writeGeneratedHistory } from '../src-main/engine/health/generated-history';
import type { BenchSuite } from './suites';
import { demoRoot, log, round, scratchDir } from './support';

const RUNS = 25;
const GOAL_MS = 1000;
const DAY_MS = 86_400_000;

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Median and slowest of `RUNS` calls after one warm-up, in ms. */
async function timeCalls(
  work: () => Promise<unknown>,
): Promise<{ medianMs: number; maxMs: number }> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return { medianMs: round(median(times), 2), maxMs: round(Math.max(...times), 2) };
}

/** The health suite. */
export const healthSuite: BenchSuite = {
  description:
    'the Health panel on a year of data: health:figures and a year of analytics:daily across the tiers (ms, goal < 1 s)',
  async run() {
    const source = await demoRoot('small');
    const load = os.loadavg()[0]!;
    const work = scratchDir('health');
    const root = path.join(work, 'root');
    // The engine writes its catalog into the root: work on a copy, the cached tree stays clean.
    execFileSync('cp', ['-a', source, root]);
    const engine = await Engine.start({ appStateDir: path.join(work, 'state'), root });
    try {
      const session = engine.requireSession();
      const now = new Date();
      log('writing a year of catalog history');
      const history = writeGeneratedHistory(session.catalog, {
        now,
        days: 365,
        destination: path.join(work, 'destination'),
      });

      // Spread the demo's 18 months of interactions over all three tiers: 30 days hot, 180
      // warm, the rest cold, so a year's read crosses every tier.
      await engine.call('retention:set', {
        policy: { hotDays: 30, warmDays: 180, coldDays: 3650, scrubAfterDays: null },
      });
      log('archiving the interactions into the warm and cold tiers');
      const archive = await engine.call('analytics:archive', { dryRun: false });
      const archived = await session.jobs.wait(archive.id);
      if (archived.state !== 'succeeded') {
        throw new Error(
          `The archival did not finish: ${archived.error?.message ?? archived.state}`,
        );
      }

      const figures = await timeCalls(() => engine.call('health:figures'));
      const to = now.toISOString().slice(0, 10);
      const from = new Date(now.getTime() - 364 * DAY_MS).toISOString().slice(0, 10);
      const analytics = await timeCalls(() => engine.call('analytics:daily', { from, to }));
      const { days } = await engine.call('analytics:daily', { from, to });
      const tiers = { hot: 0, warm: 0, cold: 0 };
      for (const day of days) tiers[day.tier] += 1;

      return {
        standardTool: null,
        note: `no standard tool computes these figures, so nothing runs by turns here: ${RUNS} calls of each after a warm-up, the median and the slowest against the ${GOAL_MS} ms goal`,
        loadAverage: round(load, 2),
        yearOfHistory: {
          backupRuns: history.runs.length,
          otherJobs: history.otherJobs,
          completedBackups: history.backups.length,
          usageSnapshots: history.snapshots.length,
        },
        healthFigures: { ...figures, goalMs: GOAL_MS, meetsGoal: figures.maxMs < GOAL_MS },
        analyticsYear: {
          days: days.length,
          interactions: days.reduce((sum, day) => sum + day.interactions, 0),
          daysByTier: tiers,
          ...analytics,
          goalMs: GOAL_MS,
          meetsGoal: analytics.maxMs < GOAL_MS,
        },
      };
    } finally {
      await engine.close();
    }
  },
};
