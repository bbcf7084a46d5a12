/**
 * Every benchmark suite, by name. A suite measures Tend against the standard tool on the same
 * data in the same run and returns its figures (ratios included) as plain JSON.
 *
 * Each domain adds one line here for its bench/<domain>.ts.
 */
export interface BenchSuite {
  /** What it measures, for `npm run bench -- --list`. */
  readonly description: string;
  run(): Promise<Record<string, unknown>>;
}

/** The suites, in the order they run. */
export const suites: Readonly<Record<string, () => Promise<BenchSuite>>> = {
  usage: async () => (await import('./usage')).usageSuite,
  backup: async () => (await import('./backup')).backupSuite,
  restore: async () => (await import('./restore')).restoreSuite,
  vectors: async () => (await import('./vectors')).vectorsSuite,
  maintenance: async () => (await import('./maintenance')).maintenanceSuite,
  move: async () => (await import('./move')).moveSuite,
};
