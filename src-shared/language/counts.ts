/**
 * Counting things in words: one place for thousands separators and for plurals, so no page
 * or command says "1 files" or "backup(s)". Plurals follow `Intl.PluralRules`, not a test for
 * one; the nouns Tend counts are listed once with their plural.
 */

// Made on first use: the first Intl object loads the locale data (about 10 ms), which a
// command that prints no count (`tend --help`) should not wait for.
let numbers: Intl.NumberFormat | undefined;
let plurals: Intl.PluralRules | undefined;

/** Every noun Tend counts, singular to plural. */
export const nouns = {
  file: 'files',
  store: 'stores',
  folder: 'folders',
  backup: 'backups',
  archive: 'archives',
  collection: 'collections',
  document: 'documents',
  chunk: 'chunks',
  vector: 'vectors',
  'chat session': 'chat sessions',
  row: 'rows',
  record: 'records',
  interaction: 'interactions',
  entry: 'entries',
  conflict: 'conflicts',
  'schema step': 'schema steps',
  warning: 'warnings',
  problem: 'problems',
  job: 'jobs',
  path: 'paths',
  day: 'days',
  week: 'weeks',
  month: 'months',
  year: 'years',
  'IP address': 'IP addresses',
  'e-mail address': 'e-mail addresses',
  'phone number': 'phone numbers',
  line: 'lines',
  'Tend backup archive': 'Tend backup archives',
  'unknown column': 'unknown columns',
  'foreign key violation': 'foreign key violations',
  snapshot: 'snapshots',
  pack: 'packs',
} as const;

/** A noun Tend counts. */
export type Noun = keyof typeof nouns;

/** Whether a count is written here without Intl: a whole number that String() writes out. */
function plainWhole(count: number): boolean {
  return Number.isSafeInteger(count) && !Object.is(count, -0);
}

/**
 * A whole number with thousands separators: 12,345. Whole numbers (every count Tend shows) are
 * grouped here as `Intl.NumberFormat('en-US')` groups them: Intl's first use loads ICU's locale
 * data, about 17 ms of CPU that `tend info` would spend on its "130 files".
 */
export function formatCount(count: number): string {
  if (plainWhole(count)) {
    const digits = String(Math.abs(count));
    let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
    for (let at = grouped.length; at < digits.length; at += 3) {
      grouped += `,${digits.slice(at, at + 3)}`;
    }
    return count < 0 ? `-${grouped}` : grouped;
  }
  numbers ??= new Intl.NumberFormat('en-US');
  return numbers.format(count);
}

/** The noun in the form `count` takes: "file" for 1, "files" for 0, 2 or 1.5. */
export function nounFor(count: number, noun: Noun): string {
  // English: one for 1 (and -1) alone, among whole numbers; Intl says for the others.
  if (plainWhole(count)) return Math.abs(count) === 1 ? noun : nouns[noun];
  plurals ??= new Intl.PluralRules('en-US');
  return plurals.select(count) === 'one' ? noun : nouns[noun];
}

/** A count and its noun: "1 file", "0 files", "2,345 files". */
export function countOf(count: number, noun: Noun): string {
  return `${formatCount(count)} ${nounFor(count, noun)}`;
}

/**
 * Progress in words: "120 of 476 files", "0 of 1 file". A total that is unknown, or smaller
 * than what is done (a step that counted other things), is left out rather than shown as
 * "26 of 4".
 */
export function countOfTotal(done: number, total: number | null, noun: Noun): string {
  if (total === null || total < done) return countOf(done, noun);
  return `${formatCount(done)} of ${countOf(total, noun)}`;
}
