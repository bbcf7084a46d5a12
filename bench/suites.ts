/**
 * Every benchmark suite, by name. A suite measures Tend against the standard tool on the same
 * data in the same run, by turns (bench/pairs.ts), and returns its figures (ratios included)
 * as plain JSON; one that cannot run here returns `{ skipped: why }`.
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
  startup: async () => (await import('./startup')).startupSuite,
  usage: async () => (await import('./usage')).usageSuite,
  backup: async () => (await import('./backup')).backupSuite,
  restore: async () => (await import('./restore')).restoreSuite,
  vectors: async () => (await import('./vectors')).vectorsSuite,
  maintenance: async () => (await import('./maintenance')).maintenanceSuite,
  repository: async () => (await import('./repository')).repositorySuite,
  postgres: async () => (await import('./postgres')).postgresSuite,
  health: async () => (await import('./health')).healthSuite,
  move: async () => (await import('./move')).moveSuite,
  responsiveness: async () => (await import('./responsiveness')).responsivenessSuite,
  profiles: async () => (await import('./profiles')).profilesSuite,
};
