import { describe, expect, it } from 'vitest';
import {
  externalLinkFor,
  GESTURE_WINDOW_MS,
  isUserGesture,
  navigationDecision,
  windowOpenDecision,
  type ExternalLinkContext,
} from '../../../src-main/electron/navigation-policy';

const appUrl = 'file:///opt/tend/out/renderer/index.html';
const help = 'https://example.com/docs?a=1#b';
/** The person clicked just now, on a page whose links include `help`. */
const clicked: ExternalLinkContext = {
  allowList: [help, 'https://example.com/', 'https://user:pass@example.com/'],
  lastGestureAt: 10_000,
  now: 10_200,
};

describe('externalLinkFor', () => {
  it.each<[string, string | null]>([
    [help, help],
    ['HTTPS://Example.COM', 'https://example.com/'],
    ['https://example.com/other', null],
    ['https://evil.example/?data=secret', null],
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
  ])('right after a click: %j → %j', (url, expected) => {
    expect(externalLinkFor(url, clicked)).toBe(expected);
  });

  it.each<[string, Partial<ExternalLinkContext>]>([
    ['without any click', { lastGestureAt: null }],
    ['a while after the click', { now: 10_000 + GESTURE_WINDOW_MS + 1 }],
    ['with a clock that went back', { now: 9_000 }],
    ['when the app shows no such link', { allowList: [] }],
  ])('opens nothing %s', (_name, change) => {
    expect(externalLinkFor(help, { ...clicked, ...change })).toBeNull();
  });

  it('opens nothing by default: the app shows no external link today', () => {
    expect(externalLinkFor(help)).toBeNull();
  });
});

describe('isUserGesture', () => {
  it.each<[{ type: string; key?: string }, boolean]>([
    [{ type: 'mouseUp' }, true],
    [{ type: 'keyDown', key: 'Enter' }, true],
    [{ type: 'keyDown', key: ' ' }, true],
    [{ type: 'keyDown', key: 'a' }, false],
    [{ type: 'mouseMove' }, false],
    [{ type: 'mouseWheel' }, false],
  ])('%j → %s', (input, expected) => {
    expect(isUserGesture(input)).toBe(expected);
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
    [help, help],
    ['https://evil.example/', null],
    ['http://example.com/', null],
    ['file:///etc/passwd', null],
    ['file:///opt/tend/out/other/index.html', null],
    ['javascript:alert(1)', null],
  ])('denies %s, opening %s outside after a click', (url, external) => {
    expect(navigationDecision(url, appUrl, clicked)).toEqual({
      action: 'deny',
      openExternally: external,
    });
    expect(navigationDecision(url, appUrl)).toEqual({ action: 'deny', openExternally: null });
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
    [help, help],
    // Even the app page never gets a second window.
    [appUrl, null],
    ['http://example.com/', null],
    ['about:blank', null],
  ])('denies %s, opening %s outside after a click', (url, external) => {
    expect(windowOpenDecision(url, clicked)).toEqual({ action: 'deny', openExternally: external });
  });
});
