/** Binary units, as pretty-bytes names them. */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;

/**
 * A non-negative number with at most one decimal, cut (not rounded) as pretty-bytes has
 * `toLocaleString('en-US', { maximumFractionDigits: 1, roundingMode: 'trunc' })` cut it, on
 * the shortest decimal that reads back as the number, without loading ICU's number
 * formatting: its first use costs a command line's start-up about 17 ms of CPU.
 */
function oneDecimal(value: number): string {
  const text = String(value);
  // Exponent notation (below 1e-6, from 1e21): ICU's own answer; never for a byte count.
  if (text.includes('e')) {
    return value.toLocaleString('en-US', {
      maximumFractionDigits: 1,
      roundingMode: 'trunc',
      useGrouping: false,
    });
  }
  const [whole = '0', fraction = ''] = text.split('.');
  const digit = fraction.slice(0, 1);
  return digit === '' || digit === '0' ? whole : `${whole}.${digit}`;
}

/**
 * A byte count for people, the same in the app and on the command line: binary units (KiB,
 * MiB, GiB), as the settings' limits are binary (1 GiB cache cap, 5 GiB free-space alert), so
 * a size and a limit read in the same units. One decimal at most: 7.6 MiB. The text is
 * pretty-bytes' (`binary: true, maximumFractionDigits: 1`), character for character.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) {
    throw new TypeError(`Expected a finite number, got ${typeof bytes}: ${bytes}`);
  }
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let exponent = 0;
  if (value >= 1) {
    exponent = Math.min(Math.floor(Math.log(value) / Math.log(1024)), UNITS.length - 1);
  }
  value /= 1024 ** exponent;
  // Just under a unit boundary the logarithm can round up to it.
  if (value < 1 && exponent > 0) {
    value *= 1024;
    exponent -= 1;
  }
  return `${sign}${oneDecimal(value)} ${UNITS[exponent]}`;
}
