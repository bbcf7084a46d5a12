import { describe, expect, it } from 'vitest';
import { hashIdentifier, redactText } from '../../../../src-main/engine/maintenance/redact';

describe('redactText', () => {
  it.each([
    ['Send it to ada.lovelace@example.com please.', 'Send it to [email] please.', [1, 0, 0]],
    ['Call me on +1 555-0142 if unclear.', 'Call me on [phone] if unclear.', [0, 1, 0]],
    ['Call (555) 123-4567 now', 'Call [phone] now', [0, 1, 0]],
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

describe('redactText: personal data it must find', () => {
  it.each([
    // E-mail addresses, Unicode local and domain parts, and a host without a dot.
    ['write to josé@exämple.com today', 'write to [email] today'],
    ['ping john@localhost when done', 'ping [email] when done'],
    ["O'Brien: o'brien+tag@mail.example.co.uk.", "O'Brien: [email]."],
    ['用户 张伟@例子.中国 说', '用户 [email] 说'],
    ['mailto:first.last@sub-domain.example.org', 'mailto:[email]'],
    // Phone numbers: international, North American, national with a trunk 0.
    ['call +15551234567 now', 'call [phone] now'],
    ['my number is 5551234567', 'my number is [phone]'],
    ['Berlin office 030/1234567', 'Berlin office [phone]'],
    ['555-123-4567 or 555.123.4567', '[phone] or [phone]'],
    ['reach me at +1 (415) 555-0132.', 'reach me at [phone].'],
    ['mobile 0176 12345678', 'mobile [phone]'],
    ['UK mobile 07911 123456', 'UK mobile [phone]'],
    ['Paris 01 23 45 67 89', 'Paris [phone]'],
    ['+49 30 1234567 (Berlin)', '[phone] (Berlin)'],
    ['+33 1 23 45 67 89', '[phone]'],
    ['from abroad 0049 30 1234567', 'from abroad [phone]'],
    ['Sydney +61 2 9876 5432', 'Sydney [phone]'],
  ])('%s', (input, expected) => {
    expect(redactText(input).text).toBe(expected);
    expect(redactText(expected).text).toBe(expected);
  });
});

describe('redactText: ordinary text it must leave alone', () => {
  it.each([
    'meeting 2024-01-01 10:30',
    'invoice 12 345 678',
    'between 10:30 and 11:45 on 12/03/2024',
    'at 2025-03-04 09:15:22.123',
    '2024-01-01T10:30:00Z',
    'version 1.2.3.4567',
    'order 1234567',
    'ISBN 978-3-16-148410-0',
    'the unix time 1704067200',
    'invoice no. 2024-000123',
    'in 2023 we had 1500000 users',
    'pay 1,234,567.89 EUR',
    'zip 90210-1234',
    'id 123456789',
    'coordinates 52.5200, 13.4050',
    'UUID 123e4567-e89b-12d3-a456-426614174000',
    'pi is 3.14159265358979',
    'port 8080 and 443',
    'error code 0x80070005',
    'score 5@10 and a @mention',
    'follow @tend_app or email us @ the desk',
  ])('%s', (input) => {
    expect(redactText(input)).toEqual({ text: input, counts: { emails: 0, phones: 0, ips: 0 } });
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
