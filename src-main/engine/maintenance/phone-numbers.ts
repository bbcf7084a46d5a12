/**
 * Finding phone numbers in free text, for the privacy scrub.
 *
 * libphonenumber-js (Google's libphonenumber metadata) decides what a number is, including
 * its matcher's refusal of dates, times and timestamps ("2024-01-01 10:30" is not a number).
 * A text does not say which country it comes from, so three kinds of candidates are taken:
 *
 * - international: `+` and a country code (or `00`), possible for that country;
 * - North American: ten digits (an optional `1` before them) grouped 3-3-4 or not at all,
 *   the area code not starting with 0 or 1 (so a Unix timestamp is not a phone);
 * - national with a trunk `0` (most of Europe, Oceania, Asia): valid for one of the
 *   countries that dial it.
 *
 * Digit runs without any of these shapes ("invoice 12 345 678", "order 1234567") stay: in a
 * text of unknown origin they are more likely amounts and ids than numbers to call.
 */
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';

/** Countries whose national numbers start with a trunk 0, tried for `0…` candidates. */
const TRUNK_ZERO_COUNTRIES: ReadonlyArray<CountryCode> = [
  'DE',
  'GB',
  'FR',
  'NL',
  'BE',
  'CH',
  'AT',
  'IT',
  'SE',
  'FI',
  'IE',
  'AU',
  'NZ',
  'IN',
  'JP',
  'CN',
  'TR',
  'ZA',
];

/** A phone number's place in a text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

// `+` (or 00) then 7 to 15 digits in groups: an international number libphonenumber may not
// know (a short "+1 555-0142") is still one a person wrote down to be called.
const INTERNATIONAL = /(?<![\w+])(?:\+|00)[1-9](?:[\s.()/-]{0,2}\d){6,14}(?!\d)/g;

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

function isInternational(text: string): boolean {
  return text.startsWith('+') || text.startsWith('00');
}

/** Ten North American digits, written 3-3-4 or as one run, area code 2–9. */
function isNorthAmerican(text: string): boolean {
  const groups = text
    .replace(/^\+?1[\s.-]+/, '')
    .replace(/[()]/g, ' ')
    .trim()
    .split(/[\s./-]+/)
    .map((group) => group.length);
  const digits = digitsOf(text).replace(/^1(?=\d{10}$)/, '');
  const grouped = groups.join(',');
  return (
    digits.length === 10 &&
    /^[2-9]/.test(digits) &&
    (grouped === '10' || grouped === '3,3,4' || grouped === '1,10' || grouped === '1,3,3,4')
  );
}

/** Keeps the longest of overlapping spans, in text order. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span.start < last.end) {
      if (span.end > last.end) out[out.length - 1] = { start: last.start, end: span.end };
      continue;
    }
    out.push(span);
  }
  return out;
}

/** The phone numbers in a text, in order, never overlapping. */
export function findPhoneNumbers(text: string): Span[] {
  // Seven digits is the shortest number worth a look; most texts have far fewer.
  if (digitsOf(text).length < 7) return [];
  const spans: Span[] = [];
  // `extended`: libphonenumber's POSSIBLE leniency (right length for the country, not
  // necessarily assigned: 555 numbers are still someone's number in a text).
  for (const match of findPhoneNumbersInText(text, { defaultCountry: 'US', extended: true })) {
    const found = text.slice(match.startsAt, match.endsAt);
    if (isInternational(found) || isNorthAmerican(found)) {
      spans.push({ start: match.startsAt, end: match.endsAt });
    }
  }
  for (const match of text.matchAll(INTERNATIONAL)) {
    const digits = digitsOf(match[0]).length;
    if (digits >= 7 && digits <= 15) {
      spans.push({ start: match.index, end: match.index + match[0].length });
    }
  }
  // A trunk 0 at the start of a digit group: worth asking the countries that dial one.
  if (/(?:^|[^\d])\(?0\d/.test(text)) {
    for (const country of TRUNK_ZERO_COUNTRIES) {
      for (const match of findPhoneNumbersInText(text, { defaultCountry: country })) {
        if (/^\(?0/.test(text.slice(match.startsAt, match.endsAt))) {
          spans.push({ start: match.startsAt, end: match.endsAt });
        }
      }
    }
  }
  return merge(spans);
}
