/**
 * The analytics system's profile (seed 004's own files): the hot and the warm SQLite tier and
 * the cold tier's archives, as its AnalyticsDataManager keeps them.
 */
import type { Profile } from '../profile';
import { analyticsDemo } from './analytics-demo';
import { analyticsPaths } from './analytics-paths';
import { analyticsCategoryRules } from './analytics-rules';
import { analyticsStores } from './analytics-stores';

/** The analytics system's profile. */
export const analyticsProfile: Profile = {
  id: 'analytics',
  name: 'Assistant analytics',
  appName: 'the analytics system',
  summary:
    'An assistant’s analytics folder: the hot tier analytics/comprehensive_metrics.db (SQLite in WAL mode, the last 90 days), the warm tier analytics/historical_metrics.db (monthly aggregates) and the cold tier’s compressed archives under analytics/archive/.',
  markers: [
    {
      path: analyticsPaths.hotDb,
      what: 'the hot analytics database',
      shape: 'sqlite',
      weight: 0.8,
    },
    {
      path: analyticsPaths.historicalDb,
      what: 'the historical analytics database',
      shape: 'sqlite',
      weight: 0.5,
    },
    {
      path: `${analyticsPaths.archive}/`,
      what: 'the analytics archive',
      shape: 'folder',
      weight: 0.1,
    },
  ],
  paths: analyticsPaths,
  categoryRules: analyticsCategoryRules,
  stores: analyticsStores,
  // Seed 004 names no part of its data to restore on its own.
  scopes: [],
  runningApp: {
    // A WAL database keeps -wal and -shm files whether or not a writer is open, and the
    // manager runs inside the assistant's Python process: neither says it is running.
    lockFiles: [],
    processNames: [],
  },
  dataLocation: [
    {
      kind: 'none',
      note: 'The analytics system opens analytics/comprehensive_metrics.db and analytics/historical_metrics.db relative to the folder the assistant runs in; moving them means moving that folder.',
    },
  ],
  assistantStore: null,
  newRootFolders: [analyticsPaths.dir, analyticsPaths.archive],
  demo: analyticsDemo,
};
