import {
  emailAddress,
  ipAddress,
  phoneNumber,
  question,
  sentence,
  type DemoTopic,
} from './demo-text';
import { DAY_MS } from './demo-time';
import type { SeededRandom } from './random';

/** One analytics row, as the interactions table stores it. */
export interface DemoInteraction {
  readonly sessionId: string;
  readonly timestamp: string;
  readonly userRole: string;
  readonly query: string;
  readonly queryType: string;
  readonly responseTimeMs: number;
  readonly responseLength: number;
  readonly success: 0 | 1;
  readonly userRating: number | null;
  readonly ip: string | null;
  readonly createdAt: string;
}

/** Months of analytics the demo holds, ending at "now". */
export const INTERACTION_MONTHS = 18;

/** How many 24-hour windows the interactions span, the last one ending at `now`. */
export function interactionDays(now: Date): number {
  const start = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth() - INTERACTION_MONTHS,
    now.getUTCDate(),
  );
  return Math.round((now.getTime() - start) / DAY_MS);
}

// Saturday and Sunday are quiet, Monday is busy.
const weekdayFactor = [0.3, 1.15, 1.05, 1, 1, 0.9, 0.35];

/**
 * How many interactions fall on each day, oldest first, summing to exactly `total`.
 *
 * Volume grows over the period, dips at weekends, wobbles day to day, and has a few launch
 * spikes and outage days, so charts and retention rules see something realistic.
 */
export function dailyInteractionCounts(
  rng: SeededRandom,
  total: number,
  days: number,
  now: Date,
): number[] {
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const start = new Date(now.getTime() - (days - d) * DAY_MS);
    let weight =
      (0.5 + d / days) * (weekdayFactor[start.getUTCDay()] ?? 1) * rng.logNormal(1, 0.25);
    if (rng.chance(0.02)) weight *= rng.float(2, 4);
    if (rng.chance(0.01)) weight *= 0.05;
    weights.push(weight);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (weight / sum) * total);
  const counts = exact.map(Math.floor);
  // Largest remainders get the leftover rows, so the total is exact.
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, i) => [value - Math.floor(value), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (missing <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    missing--;
  }
  return counts;
}

const roles = [
  ['developer', 35],
  ['analyst', 20],
  ['support', 20],
  ['manager', 10],
  ['student', 5],
  ['guest', 10],
] as const;

const queryTypes = [
  ['technical', 30],
  ['research', 20],
  ['summarize', 15],
  ['troubleshoot', 15],
  ['general', 15],
  ['code', 5],
] as const;

const errors = [
  'connection refused',
  'permission denied',
  'timeout after 30 s',
  'dimension mismatch',
  'disk full',
];

function queryText(rng: SeededRandom, type: string, topic: DemoTopic): string {
  const noun = rng.pick(topic.nouns);
  let text: string;
  switch (type) {
    case 'research':
      text = rng.chance(0.5)
        ? `What do we know about the ${rng.pick(topic.adjectives)} ${noun}?`
        : `Compare the ${noun} and the ${rng.pick(topic.nouns)}.`;
      break;
    case 'summarize':
      text = `Summarise the ${noun} document in ${rng.int(3, 7)} bullet points.`;
      break;
    case 'troubleshoot':
      text = `The ${noun} is failing with "${rng.pick(errors)}". What should I check first?`;
      break;
    case 'general':
      text = rng.chance(0.5)
        ? 'What can you help me with today?'
        : `Rephrase this more politely: ${sentence(rng, topic)}`;
      break;
    case 'code':
      text = `Write a Python function to ${rng.pick(topic.verbs)} the ${noun}.`;
      break;
    default:
      text = question(rng, topic);
  }
  // Personal data a privacy scrub has to find: about one query in twenty carries some.
  if (rng.chance(0.03)) text += ` Please send the answer to ${emailAddress(rng)}.`;
  if (rng.chance(0.02)) text += ` You can call me on ${phoneNumber(rng)} if anything is unclear.`;
  if (rng.chance(0.015)) text += ` It happens on the host ${ipAddress(rng)}.`;
  return text;
}

/** A time of day, in ms after midnight: office hours around 14:00, a thin tail at night. */
function timeOfDay(rng: SeededRandom): number {
  const hours = rng.chance(0.9) ? 14 + 3.5 * rng.normal() : 24 * rng.next();
  return Math.min(DAY_MS - 1, Math.max(0, Math.round((((hours % 24) + 24) % 24) * 3_600_000)));
}

/**
 * Every interaction, oldest first: sessions of one to eight queries a few minutes apart,
 * each with a role, a query type, timings, success, an optional rating and an optional IP.
 * One day of rows is held at a time.
 */
export function* generateInteractions(
  rng: SeededRandom,
  total: number,
  topics: ReadonlyArray<DemoTopic>,
  now: Date,
): Generator<DemoInteraction> {
  const days = interactionDays(now);
  const counts = dailyInteractionCounts(rng.fork('volume'), total, days, now);
  for (let d = 0; d < days; d++) {
    const r = rng.fork(`day/${d}`);
    const dayStart = now.getTime() - (days - d) * DAY_MS;
    const rows: Array<{ readonly at: number; readonly row: DemoInteraction }> = [];
    let left = counts[d] ?? 0;
    while (left > 0) {
      const size = Math.min(left, Math.min(8, 1 + Math.floor(-Math.log(1 - r.next()) * 2)));
      left -= size;
      const sessionId = `sess_${r.hex(12)}`;
      const userRole = r.weighted(roles);
      const ip = r.chance(0.55) ? ipAddress(r) : null;
      const topic = r.pick(topics);
      let at = dayStart + timeOfDay(r);
      for (let q = 0; q < size; q++) {
        at = Math.min(
          dayStart + DAY_MS - 1,
          at + (q === 0 ? 0 : r.int(20, 400) * 1000 + r.int(0, 999)),
        );
        const queryType = r.weighted(queryTypes);
        const success = r.chance(0.955) ? 1 : 0;
        const responseTimeMs =
          Math.round(
            (success === 1
              ? r.logNormal(1800, 0.6)
              : r.chance(0.5)
                ? r.float(30_000, 60_000)
                : r.logNormal(900, 0.8)) * 10,
          ) / 10;
        const responseLength = success === 1 ? Math.round(r.logNormal(1400, 0.5)) : r.int(0, 200);
        const rated = r.chance(0.25);
        const userRating = !rated
          ? null
          : success === 1
            ? r.weighted([
                [5, 40],
                [4, 35],
                [3, 15],
                [2, 6],
                [1, 4],
              ] as const)
            : r.weighted([
                [1, 50],
                [2, 30],
                [3, 20],
              ] as const);
        const row: DemoInteraction = {
          sessionId,
          timestamp: new Date(at).toISOString(),
          userRole,
          query: queryText(r, queryType, topic),
          queryType,
          responseTimeMs,
          responseLength,
          success,
          userRating,
          ip,
          createdAt: new Date(
            Math.min(now.getTime(), at + Math.ceil(responseTimeMs)),
          ).toISOString(),
        };
        rows.push({ at, row });
      }
    }
    rows.sort((a, b) => a.at - b.at);
    for (const { row } of rows) yield row;
  }
}
