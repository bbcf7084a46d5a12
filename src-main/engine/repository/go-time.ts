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

/** The UTC offset, in minutes east, that this machine's zone has at an instant. */
function localOffsetMinutes(ns: UnixNanos): number {
  const ms = Number(floorDiv(ns, NS_PER_MS));
  const offset = -new Date(ms).getTimezoneOffset();
  return offset === 0 ? 0 : offset;
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
export function formatGoTime(ns: UnixNanos, offsetMinutes = localOffsetMinutes(ns)): string {
  const seconds = floorDiv(ns, NS_PER_S);
  const fraction = ns - seconds * NS_PER_S;
  const local = new Date(Number(seconds) * 1000 + offsetMinutes * 60_000);
  // Go's FixTime keeps years in 0..9999 before marshalling (restic internal/restic/node.go).
  const year = Math.min(9999, Math.max(0, local.getUTCFullYear()));
  let text =
    `${pad(year, 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}` +
    `T${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}`;
  if (fraction !== 0n) text += `.${fraction.toString().padStart(9, '0').replace(/0+$/, '')}`;
  if (offsetMinutes === 0) return `${text}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${text}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp (any zone, up to nanoseconds) to nanoseconds since the epoch. */
export function parseGoTime(text: string): UnixNanos {
  const match = rfc3339.exec(text);
  if (!match) throw new Error(`Not an RFC 3339 time: ${text}`);
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const day = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0..99 as they are.
  day.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  day.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const utcMs = day.getTime();
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const fractionNs = frac ? BigInt(frac.padEnd(9, '0')) : 0n;
  return (BigInt(utcMs) / 1000n - BigInt(offsetMinutes * 60)) * NS_PER_S + fractionNs;
}

/** Nanoseconds since the epoch of a JavaScript Date (millisecond precision). */
export function dateToNanos(date: Date): UnixNanos {
  return BigInt(date.getTime()) * NS_PER_MS;
}

/** A Date (millisecond precision) from nanoseconds since the epoch. */
export function nanosToDate(ns: UnixNanos): Date {
  return new Date(Number(floorDiv(ns, NS_PER_MS)));
}
