import { describe, expect, it } from 'vitest';
import {
  externalLinkFor,
  navigationDecision,
  windowOpenDecision,
} from '../../../src-main/electron/navigation-policy';

const appUrl = 'file:///opt/tend/out/renderer/index.html';

describe('externalLinkFor', () => {
  it.each<[string, string | null]>([
    ['https://example.com/docs?a=1#b', 'https://example.com/docs?a=1#b'],
    ['HTTPS://Example.COM', 'https://example.com/'],
    ['http://example.com/', null],
    ['file:///etc/passwd', null],
    ['javascript:alert(1)', null],
    ['data:text/html,<script>1</script>', null],
    ['smb://server/share', null],
    ['ms-msdt:/id', null],
    ['mailto:a@example.com', null],
    ['https://user:pass@example.com/', null],
    ['https://user@example.com/', null],
    ['not a url', null],
    ['', null],
  ])('%j → %j', (url, expected) => {
    expect(externalLinkFor(url)).toBe(expected);
  });
});

describe('navigationDecision', () => {
  it.each([
    'file:///opt/tend/out/renderer/index.html',
    'file:///opt/tend/out/renderer/index.html#settings',
    'file:///opt/tend/out/renderer/index.html?x=1',
  ])('allows the app page %s', (url) => {
    expect(navigationDecision(url, appUrl)).toEqual({ action: 'allow' });
  });

  it.each<[string, string | null]>([
    ['https://example.com/', 'https://example.com/'],
    ['http://example.com/', null],
    ['file:///etc/passwd', null],
    ['file:///opt/tend/out/other/index.html', null],
    ['javascript:alert(1)', null],
  ])('denies %s, opening %s outside', (url, external) => {
    expect(navigationDecision(url, appUrl)).toEqual({ action: 'deny', openExternally: external });
  });

  it('allows the dev server by origin only', () => {
    const dev = 'http://localhost:5173/';
    expect(navigationDecision('http://localhost:5173/#settings', dev)).toEqual({
      action: 'allow',
    });
    expect(navigationDecision('http://127.0.0.1:5173/', dev).action).toBe('deny');
  });
});

describe('windowOpenDecision', () => {
  it.each<[string, string | null]>([
    ['https://example.com/', 'https://example.com/'],
    // Even the app page never gets a second window.
    [appUrl, null],
    ['http://example.com/', null],
    ['about:blank', null],
  ])('denies %s, opening %s outside', (url, external) => {
    expect(windowOpenDecision(url)).toEqual({ action: 'deny', openExternally: external });
  });
});
