/**
 * Tend against the standard tool, run by turns (A B A B …, after a warm-up) and read pair by
 * pair: the median of the pairs' ratios with their min and max. On a shared machine one run of
 * each side is not a figure (issue 13); a pair runs under the same load, so its ratio holds
 * when the times themselves move.
 */
import { log, round } from './support';

/** How a figure spread over the runs of a suite: the median and the extremes. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The median (the mean of the middle two for an even count), min and max of some values. */
export function spreadOf(values: ReadonlyArray<number>): Spread {
  if (values.length === 0) throw new Error('No values to spread.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/**
 * The ratio of each pair (Tend's run over the standard tool's run just before it) as a spread.
 * Each pair ran under the same load, so the ratios move less than the times do.
 */
export function pairRatios(tend: ReadonlyArray<number>, standard: ReadonlyArray<number>): Spread {
  if (tend.length !== standard.length) throw new Error('Pairs need as many runs on each side.');
  return spreadOf(tend.map((value, at) => value / standard[at]!));
}

/** Tend beside the standard tool over the same pairs, rounded for the JSON. */
export interface Compared {
  tend: Spread;
  standard: Spread;
  /** Of Tend's figure over the tool's, pair by pair: below 1 is Tend doing better. */
  ratio: Spread;
  pairs: number;
  goal?: number;
  meetsGoal?: boolean;
}

/** Compares the pairs of one figure; `goal` is the most the median ratio may be. */
export function compared(
  tend: ReadonlyArray<number>,
  standard: ReadonlyArray<number>,
  goal?: number,
): Compared {
  const ratios = pairRatios(tend, standard);
  return {
    tend: roundSpread(spreadOf(tend)),
    standard: roundSpread(spreadOf(standard)),
    ratio: roundSpread(ratios),
    pairs: tend.length,
    ...(goal === undefined ? {} : { goal, meetsGoal: ratios.median <= goal }),
  };
}

/** Another tool timed in the same pairs (restic beside Tend and tar), read pair by pair. */
export interface Beside {
  /** The other tool's own figures. */
  runs: Spread;
  /** Of its figure over the standard tool's, pair by pair. */
  ratio: Spread;
  /** Of Tend's figure over its, pair by pair: below 1 is Tend doing better. */
  tendOverIt: Spread;
}

/**
 * A third tool's runs in the same pairs as Tend's and the standard tool's, so it is read the
 * way Tend is: against the standard tool pair by pair, and Tend against it.
 */
export function beside(
  other: ReadonlyArray<number>,
  standard: ReadonlyArray<number>,
  tend: ReadonlyArray<number>,
): Beside {
  return {
    runs: roundSpread(spreadOf(other)),
    ratio: roundSpread(pairRatios(other, standard)),
    tendOverIt: roundSpread(pairRatios(tend, other)),
  };
}

/** A spread with each figure rounded (to milliseconds' precision for seconds). */
export function roundSpread(spread: Spread, digits = 3): Spread {
  return {
    median: round(spread.median, digits),
    min: round(spread.min, digits),
    max: round(spread.max, digits),
  };
}

/** What `alternate` measured: one entry a pair on each side, warm-up left out. */
export interface Alternated<T, S> {
  tend: T[];
  standard: S[];
}

/**
 * Runs the standard tool and Tend by turns, A B A B …: `warmups` pairs first (not kept: they
 * fill the page cache and the JIT), then `pairs` pairs. Alternating spreads a change in the
 * machine's load over both sides, where running one side's runs and then the other's would
 * put it all on one side.
 */
export async function alternate<T, S>(options: {
  /** Named in the progress lines. */
  label: string;
  pairs?: number;
  warmups?: number;
  standard: (run: number) => Promise<S>;
  tend: (run: number) => Promise<T>;
  /** One line of figures per pair, for the person watching. */
  describe?: (tend: T, standard: S) => string;
}): Promise<Alternated<T, S>> {
  const { label, pairs = 3, warmups = 1 } = options;
  const measured: Alternated<T, S> = { tend: [], standard: [] };
  for (let run = 0; run < warmups + pairs; run++) {
    const warm = run < warmups;
    const standard = await options.standard(run);
    const tend = await options.tend(run);
    const name = warm ? `warm-up ${run + 1}` : `pair ${run - warmups + 1} of ${pairs}`;
    log(`${label}: ${name}${options.describe ? `: ${options.describe(tend, standard)}` : ''}`);
    if (warm) continue;
    measured.standard.push(standard);
    measured.tend.push(tend);
  }
  return measured;
}
