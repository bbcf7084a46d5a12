import type { usageChannels } from '../../../src-shared/channels/usage';
import { TendFailure } from '../../../src-shared/errors';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import { largestInFolder } from './largest-in-folder';
import { findFolder, toUsageNode } from './usage-tree';
import { categoryGrowth, historyPoints, snapshotOf, withLive } from './usage-history';
import { usageService } from './usage-service';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The handlers of the usage channels: scan, map, history and cleanup. */
export function usageHandlers(engine: EngineServices): HandlersFor<typeof usageChannels> {
  const service = () => usageService(engine.requireSession(), engine);
  return {
    'usage:scan': async ({ mode }) => service().startScanJob(mode),

    'usage:tree': async ({ path, depth, largest }) => {
      const usage = service();
      const scan = usage.lastScan;
      if (!scan) return { report: null, node: null, largestFiles: [], scanning: usage.scanning };
      const relative = path.replace(/^\/+|\/+$/g, '');
      const folder = findFolder(scan.root, relative);
      if (!folder) {
        throw new TendFailure(
          'INVALID_INPUT',
          `There is no folder ${relative} in the last scan. Scan again, then drill down.`,
        );
      }
      return {
        report: usage.report,
        node: toUsageNode(folder, depth),
        largestFiles: await largestInFolder(scan, folder, largest),
        scanning: usage.scanning,
      };
    },

    'usage:history': async ({ granularity, days }) => {
      const usage = service();
      const now = new Date();
      // A watched folder's figures now, which updates do not store.
      const live = usage.report?.stats.mode === 'update' ? snapshotOf(usage.report) : null;
      const snapshots = withLive(
        usage.history.since(new Date(now.getTime() - days * DAY_MS)),
        live,
      );
      // Growth looks back a month even when the chart shows less.
      const forGrowth =
        days >= 31
          ? snapshots
          : withLive(usage.history.since(new Date(now.getTime() - 31 * DAY_MS)), live);
      return {
        points: historyPoints(snapshots, granularity),
        growth: categoryGrowth(forGrowth, now),
        alerts: usage.history.alertsSince(new Date(now.getTime() - 7 * DAY_MS)),
      };
    },

    'clean:summary': async () => ({
      items: (await service().reclaimable()).map((plan) => ({
        kind: plan.kind,
        title: plan.title,
        files: plan.items.length,
        reclaimBytes: plan.reclaimBytes,
        applicable: plan.applicable,
        handledElsewhere: plan.handledElsewhere,
      })),
    }),

    'clean:plan': async ({ kind, gzipOldLogs }) => service().plan(kind, gzipOldLogs),

    'clean:apply': async ({ planId, confirmLarge }) => service().applyPlan(planId, confirmLarge),
  };
}
