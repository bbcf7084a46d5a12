/**
 * Timestamps as restic stores them: Go's time.Time in JSON, RFC 3339 with nanoseconds and the
 * local zone ("2014-12-22T14:47:59.912418701+01:00", or "Z" in UTC), trailing zeros of the
 * fraction dropped (Go's time.RFC3339Nano layout). Kept as nanoseconds since the epoch in a
 * bigint: a double cannot hold them, and change detection compares them exactly.
 */

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/** Nanoseconds since the Unix epoch. */
export type UnixNanos = bigint;

/**
 * Offsets by the hour they hold for (the zone's offset at both ends of the hour is the same):
 * a tree's times crowd into a few hours, and asking the zone database costs a microsecond
 * per time, three times a file. Dropped when TZ changes (the process's zone can be set).
 */
const hourOffsets = new Map<number, number>();
let hourOffsetsZone: string | undefined;
const MS_PER_HOUR = 3_600_000;

/** Drops the cached offsets when the process's zone (TZ) changed since they were taken. */
function checkZone(): void {
  const zone = process.env.TZ;
  if (zone !== hourOffsetsZone || hourOffsets.size > 4096) {
    hourOffsets.clear();
    hourOffsetsZone = zone;
  }
}

/** The UTC offset, in minutes east, that the zone last checked has at an instant (whole seconds). */
function hourOffset(seconds: number): number {
  const hour = Math.floor((seconds * 1000) / MS_PER_HOUR);
  let offset = hourOffsets.get(hour);
  if (offset === undefined) {
    const start = -new Date(hour * MS_PER_HOUR).getTimezoneOffset();
    const end = -new Date(hour * MS_PER_HOUR + MS_PER_HOUR - 1).getTimezoneOffset();
    // An hour with a change of offset in it is not kept: each instant asks for its own.
    if (start !== end) return -new Date(seconds * 1000).getTimezoneOffset() || 0;
    offset = start || 0;
    hourOffsets.set(hour, offset);
  }
  return offset;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Formats an instant as Go's `time.Time.MarshalJSON` does in the given zone offset (minutes
 * east of UTC; this machine's zone when left out), without the quotes.
 */
export function formatGoTime(ns: UnixNanos, offsetMinutes?: number): string {
  if (offsetMinutes !== undefined) return formatIn(ns, () => offsetMinutes);
  checkZone();
  return formatIn(ns, hourOffset);
}

/**
 * formatGoTime in this machine's zone for many times in a row (a tree's nodes): the zone is
 * checked once, when the formatter is made, not on every time (reading TZ from the
 * environment cost more than formatting).
 */
export function localTimeFormatter(): (ns: UnixNanos) => string {
  checkZone();
  return (ns) => formatIn(ns, hourOffset);
}

function formatIn(ns: UnixNanos, offsetAt: (seconds: number) => number): string {
  const seconds = floorDiv(ns, NS_PER_S);
  const fraction = ns - seconds * NS_PER_S;
  const wholeSeconds = Number(seconds);
  const offset = offsetAt(wholeSeconds);
  let text = secondText(wholeSeconds, offset);
  if (fraction !== 0n) text += `.${fraction.toString().padStart(9, '0').replace(/0+$/, '')}`;
  if (offset === 0) return `${text}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${text}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

/** The last few seconds formatted (`2014-11-29T10:27:59`): a tree's times share many. */
const secondTexts = new Map<string, string>();

function secondText(seconds: number, offsetMinutes: number): string {
  const key = `${seconds}/${offsetMinutes}`;
  let text = secondTexts.get(key);
  if (text === undefined) {
    const local = new Date(seconds * 1000 + offsetMinutes * 60_000);
    // Go's FixTime keeps years in 0..9999 before marshalling (restic internal/restic/node.go).
    const year = Math.min(9999, Math.max(0, local.getUTCFullYear()));
    text =
      `${pad(year, 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}` +
      `T${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}`;
    if (secondTexts.size >= 1024) secondTexts.clear();
    secondTexts.set(key, text);
  }
  return text;
}

const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** The value of `length` decimal digits at `start`, or -1 when one is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The common shape, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with a year from 1970, read
 * without a regular expression or a string per field (a parent snapshot's trees hold three
 * times per file, read on every backup); null for anything else, which the general path takes.
 */
function parseGoTimeQuickly(text: string): UnixNanos | null {
  if (text.length < 20 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T') return null;
  if (text[13] !== ':' || text[16] !== ':') return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  let at = 19;
  let fraction = 0;
  if (text[at] === '.') {
    const start = at + 1;
    at = start;
    while (
      at < text.length &&
      at - start < 10 &&
      text.charCodeAt(at) >= 48 &&
      text.charCodeAt(at) <= 57
    ) {
      at += 1;
    }
    const width = at - start;
    if (width === 0 || width > 9) return null;
    fraction = digits(text, start, width) * 10 ** (9 - width);
  }
  let offsetMinutes = 0;
  if (text[at] === 'Z' && at + 1 === text.length) {
    // UTC
  } else if (
    (text[at] === '+' || text[at] === '-') &&
    at + 6 === text.length &&
    text[at + 3] === ':'
  ) {
    const hours = digits(text, at + 1, 2);
    const minutes = digits(text, at + 4, 2);
    if (hours < 0 || minutes < 0) return null;
    offsetMinutes = (text[at] === '-' ? -1 : 1) * (hours * 60 + minutes);
  } else {
    return null;
  }
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetMinutes * 60;
  return BigInt(seconds) * NS_PER_S + BigInt(fraction);
}

/** Parses an RFC 3339 timestamp (any zone, up to nanoseconds) to nanoseconds since the epoch. */
export function parseGoTime(text: string): UnixNanos {
  const quick = parseGoTimeQuickly(text);
  if (quick !== null) return quick;
  const match = rfc3339.exec(text);
  if (!match) throw new Error(`Not an RFC 3339 time: ${text}`);
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  let utcMs: number;
  if (year >= 100) {
    utcMs = Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  } else {
    const day = new Date(0);
    // setUTCFullYear, unlike Date.UTC, takes years 0..99 as they are.
    day.setUTCFullYear(year, Number(mo) - 1, Number(d));
    day.setUTCHours(Number(h), Number(mi), Number(s), 0);
    utcMs = day.getTime();
  }
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  // Whole seconds fit a double exactly (years 0..9999); one bigint product per time.
  const seconds = utcMs / 1000 - offsetMinutes * 60;
  const fractionNs = frac ? BigInt(frac.padEnd(9, '0')) : 0n;
  return BigInt(seconds) * NS_PER_S + fractionNs;
}

/** Nanoseconds since the epoch of a JavaScript Date (millisecond precision). */
export function dateToNanos(date: Date): UnixNanos {
  return BigInt(date.getTime()) * NS_PER_MS;
}

/** A Date (millisecond precision) from nanoseconds since the epoch. */
export function nanosToDate(ns: UnixNanos): Date {
  return new Date(Number(floorDiv(ns, NS_PER_MS)));
}
