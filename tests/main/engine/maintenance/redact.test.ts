import { describe, expect, it } from 'vitest';
import { hashIdentifier, redactText } from '../../../../src-main/engine/maintenance/redact';

describe('redactText', () => {
  it.each([
    ['Send it to ada.lovelace@example.com please.', 'Send it to [email] please.', [1, 0, 0]],
    ['Call me on +1 555-0142 if unclear.', 'Call me on [phone] if unclear.', [0, 1, 0]],
    ['Call (555) 0123-4567 now', 'Call [phone] now', [0, 1, 0]],
    ['Ring +44 20 7946 0123.', 'Ring [phone].', [0, 1, 0]],
    ['It fails on 192.168.3.17 today', 'It fails on [ip] today', [0, 0, 1]],
    ['Host 2001:db8:0:0:0:0:0:1 is down', 'Host [ip] is down', [0, 0, 1]],
    // Not personal data: dates, versions, timings, short numbers.
    ['Released on 2025-01-02 as v3.12.1', 'Released on 2025-01-02 as v3.12.1', [0, 0, 0]],
    ['timeout after 30 s in 5 bullet points', 'timeout after 30 s in 5 bullet points', [0, 0, 0]],
  ])('%s', (input, expected, [emails, phones, ips]) => {
    const { text, counts } = redactText(input);
    expect(text).toBe(expected);
    expect(counts).toEqual({ emails, phones, ips });
    // Running it again changes nothing.
    expect(redactText(text).text).toBe(text);
  });
});

describe('hashIdentifier', () => {
  it('is stable for one salt, differs between salts, and hides the value', () => {
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    expect(hashIdentifier(a, 'sess_1')).toBe(hashIdentifier(a, 'sess_1'));
    expect(hashIdentifier(a, 'sess_1')).not.toBe(hashIdentifier(b, 'sess_1'));
    expect(hashIdentifier(a, 'sess_1')).not.toContain('sess_1');
    expect(hashIdentifier(a, 'sess_1')).toMatch(/^anon_[0-9a-f]{20}$/);
  });
});
