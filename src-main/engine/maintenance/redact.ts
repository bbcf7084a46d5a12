import { createHmac } from 'node:crypto';

/** How many of each kind of personal data a text held. */
export interface RedactionCounts {
  emails: number;
  phones: number;
  ips: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g;
// Eight groups of hex, or a compressed form with "::"; short words like "be:ef" do not match.
const IPV6 =
  /\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b|\b(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?\b/g;
// An optional country code, an optional area code in brackets, then groups of digits joined
// by spaces, dots or dashes.
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,5}){1,4}/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function looksLikePhone(match: string): boolean {
  const digits = match.replace(/\D/g, '').length;
  // Seven digits is the shortest local number; a date or a version number is not a phone.
  return digits >= 7 && digits <= 15 && !ISO_DATE.test(match.trim());
}

/**
 * Replaces e-mail addresses, IP addresses and phone numbers in a text with placeholders.
 *
 * IPs go before phones so that an address is not half-eaten as a number; a text run twice
 * through it comes out the same (placeholders match nothing).
 */
export function redactText(text: string): { text: string; counts: RedactionCounts } {
  const counts: RedactionCounts = { emails: 0, phones: 0, ips: 0 };
  // Every pattern needs an "@" or a digit (or the ":" of an IPv6): most text has neither.
  if (!/[@\d:]/.test(text)) return { text, counts };
  let out = text.replace(EMAIL, () => {
    counts.emails++;
    return '[email]';
  });
  out = out.replace(IPV4, () => {
    counts.ips++;
    return '[ip]';
  });
  out = out.replace(IPV6, (match) => {
    if (!/\d/.test(match) || match.length < 6) return match;
    counts.ips++;
    return '[ip]';
  });
  out = out.replace(PHONE, (match) => {
    if (!looksLikePhone(match)) return match;
    counts.phones++;
    return '[phone]';
  });
  return { text: out, counts };
}

/**
 * A salted hash of an identifier: the same session or IP maps to the same token (so counts
 * per session still work) but cannot be read back without the salt.
 */
export function hashIdentifier(salt: Buffer, value: string): string {
  return `anon_${createHmac('sha256', salt).update(value).digest('hex').slice(0, 20)}`;
}
