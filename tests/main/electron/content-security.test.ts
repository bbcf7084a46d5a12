import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicyFor,
  withContentSecurityPolicy,
} from '../../../src-main/electron/content-security';
import { contentSecurityPolicy } from '../../../src-shared/security';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('contentSecurityPolicyFor', () => {
  it('uses the shared policy unchanged in production', () => {
    expect(contentSecurityPolicyFor('production')).toBe(contentSecurityPolicy);
  });

  it('the shared policy allows no inline script, no eval and nothing remote', () => {
    const policy = directives(contentSecurityPolicy);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
  });

  it('in development adds only inline scripts and styles and the HMR websocket', () => {
    const prod = directives(contentSecurityPolicy);
    const dev = directives(contentSecurityPolicyFor('development'));
    expect([...dev.keys()]).toEqual([...prod.keys()]);
    const added = new Map<string, string[]>();
    for (const [name, values] of dev) {
      const before = prod.get(name) ?? [];
      expect(values.slice(0, before.length)).toEqual(before);
      const extra = values.slice(before.length);
      if (extra.length > 0) added.set(name, extra);
    }
    expect(Object.fromEntries(added)).toEqual({
      'script-src': ["'unsafe-inline'"],
      'style-src': ["'unsafe-inline'"],
      'connect-src': ['ws:', 'wss:'],
    });
  });
});

describe('withContentSecurityPolicy', () => {
  const appUrl = 'file:///opt/tend/resources/app.asar/out/renderer/index.html';
  const page = 'file:///opt/tend/resources/app.asar/out/renderer/index.html';

  it.each(['content-security-policy', 'Content-Security-Policy', 'CONTENT-SECURITY-POLICY'])(
    'replaces a server-sent %s header with exactly one policy',
    (name) => {
      const headers = withContentSecurityPolicy(
        page,
        { [name]: ['default-src *'], 'Content-Type': ['text/html'] },
        appUrl,
        'POLICY',
      );
      expect(headers).toEqual({
        'Content-Type': ['text/html'],
        'Content-Security-Policy': ['POLICY'],
      });
    },
  );

  it('replaces several differently cased copies at once', () => {
    const headers = withContentSecurityPolicy(
      page,
      { 'content-security-policy': ['a'], 'Content-security-policy': ['b'] },
      appUrl,
      'POLICY',
    );
    expect(headers).toEqual({ 'Content-Security-Policy': ['POLICY'] });
  });

  it('sets the policy when the response had no headers', () => {
    expect(withContentSecurityPolicy(page, undefined, appUrl, 'POLICY')).toEqual({
      'Content-Security-Policy': ['POLICY'],
    });
  });

  it('sets it for the dev server by origin', () => {
    const headers = withContentSecurityPolicy(
      'http://localhost:5173/src/main.tsx',
      { etag: ['x'] },
      'http://localhost:5173/',
      'POLICY',
    );
    expect(headers).toEqual({ etag: ['x'], 'Content-Security-Policy': ['POLICY'] });
  });

  it.each([
    ['another site', 'https://example.com/', 'file:///opt/tend/out/renderer/index.html'],
    ['another local file', 'file:///etc/passwd', 'file:///opt/tend/out/renderer/index.html'],
    ['another port', 'http://localhost:5174/', 'http://localhost:5173/'],
  ])('leaves the headers of %s as they came', (_name, url, app) => {
    const original = { 'content-security-policy': ['theirs'], a: ['1'] };
    expect(withContentSecurityPolicy(url, original, app, 'POLICY')).toBe(original);
    expect(withContentSecurityPolicy(url, undefined, app, 'POLICY')).toBeUndefined();
  });
});
