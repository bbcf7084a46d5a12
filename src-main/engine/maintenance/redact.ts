import { createHmac } from 'node:crypto';
import { findPhoneNumbers } from './phone-numbers';

/** How many of each kind of personal data a text held. */
export interface RedactionCounts {
  emails: number;
  phones: number;
  ips: number;
}

// An address as people write them: letters of any script in the local part and the domain
// (josé@exämple.com), the local part's other allowed characters (RFC 5322's atext), and a
// domain of one label or more (john@localhost) whose last label holds a letter, so "5@10"
// is not an address.
const LOCAL_CHAR = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~-]";
const LABEL = '[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]*[\\p{L}\\p{M}\\p{N}])?';
const EMAIL = new RegExp(`${LOCAL_CHAR}+(?:\\.${LOCAL_CHAR}+)*@${LABEL}(?:\\.${LABEL})*`, 'gu');
const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g;
// Eight groups of hex, or a compressed form with "::"; short words like "be:ef" do not match.
const IPV6 =
  /\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b|\b(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?\b/g;

/** Whether an e-mail match ends in a label with a letter (not "5@10"). */
function isAddress(match: string): boolean {
  const domain = match.slice(match.lastIndexOf('@') + 1);
  return /\p{L}/u.test(domain.slice(domain.lastIndexOf('.') + 1));
}

/** Replaces the phone numbers of a text with a placeholder and counts them. */
function redactPhones(text: string, counts: RedactionCounts): string {
  const spans = findPhoneNumbers(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += `${text.slice(at, span.start)}[phone]`;
    at = span.end;
    counts.phones++;
  }
  return out + text.slice(at);
}

/**
 * Replaces e-mail addresses, IP addresses and phone numbers in a text with placeholders.
 *
 * E-mails first (their digits are not a phone), then IPs (so an address is not half-eaten as
 * a number), then phones; a text run twice through it comes out the same (placeholders match
 * nothing).
 */
export function redactText(text: string): { text: string; counts: RedactionCounts } {
  const counts: RedactionCounts = { emails: 0, phones: 0, ips: 0 };
  // Every pattern needs an "@" or a digit (or the ":" of an IPv6): most text has neither.
  if (!/[@\d:]/.test(text)) return { text, counts };
  let out = text.replace(EMAIL, (match) => {
    if (!isAddress(match)) return match;
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
  return { text: redactPhones(out, counts), counts };
}

/**
 * A salted hash of an identifier: the same session or IP maps to the same token (so counts
 * per session still work) but cannot be read back without the salt.
 */
export function hashIdentifier(salt: Buffer, value: string): string {
  return `anon_${createHmac('sha256', salt).update(value).digest('hex').slice(0, 20)}`;
}
