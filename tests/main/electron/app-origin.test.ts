import { describe, expect, it } from 'vitest';
import { isAppOrigin } from '../../../src-main/electron/app-origin';

const fileApp = 'file:///opt/tend/resources/app.asar/out/renderer/index.html';
const devApp = 'http://localhost:5173/';

describe('isAppOrigin with the built app on disk', () => {
  it.each([
    ['the page itself', fileApp],
    ['the page with a route', `${fileApp}#/settings`],
    ['the page with a query', `${fileApp}?x=1`],
    ['a file beside it', 'file:///opt/tend/resources/app.asar/out/renderer/assets/index-abc.js'],
    [
      'the page named with localhost',
      'file://localhost/opt/tend/resources/app.asar/out/renderer/index.html',
    ],
    [
      'a `..` that stays inside',
      'file:///opt/tend/resources/app.asar/out/renderer/assets/../index.html',
    ],
    ['the scheme in capitals', 'FILE:///opt/tend/resources/app.asar/out/renderer/index.html'],
  ])('accepts %s', (_name, url) => {
    expect(isAppOrigin(url, fileApp)).toBe(true);
  });

  it.each([
    ['another local file', 'file:///etc/passwd'],
    ['a sibling folder', 'file:///opt/tend/resources/app.asar/out/main/index.js'],
    [
      'a folder whose name only starts the same',
      'file:///opt/tend/resources/app.asar/out/renderer-evil/index.html',
    ],
    ['the folder without its slash', 'file:///opt/tend/resources/app.asar/out/renderer'],
    [
      '`..` out of the folder',
      'file:///opt/tend/resources/app.asar/out/renderer/../../../../../etc/passwd',
    ],
    [
      '`%2e%2e` out of the folder',
      'file:///opt/tend/resources/app.asar/out/renderer/%2e%2e/main/index.js',
    ],
    [
      'mixed-case `%2E%2e` out of the folder',
      'file:///opt/tend/resources/app.asar/out/renderer/%2E%2e/%2e%2E/x',
    ],
    [
      '`.%2e` out of the folder',
      'file:///opt/tend/resources/app.asar/out/renderer/.%2e/main/index.js',
    ],
    [
      'backslashes out of the folder',
      'file:///opt/tend/resources/app.asar/out/renderer\\..\\main\\index.js',
    ],
    [
      'an encoded slash',
      'file:///opt/tend/resources/app.asar/out/renderer/..%2f..%2fmain/index.js',
    ],
    [
      'an encoded lower-case slash',
      'file:///opt/tend/resources/app.asar/out/renderer/..%2F..%2Fmain',
    ],
    ['an encoded backslash', 'file:///opt/tend/resources/app.asar/out/renderer/..%5c..%5Cmain'],
    [
      'a UNC host with the same path',
      'file://server/opt/tend/resources/app.asar/out/renderer/index.html',
    ],
    ['a web page', 'https://example.com/opt/tend/resources/app.asar/out/renderer/index.html'],
    ['the dev server', 'http://localhost:5173/index.html'],
    ['a data: URL', 'data:text/html,<h1>hi</h1>'],
    ['about:blank', 'about:blank'],
    ['nothing', ''],
    ['garbage', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(isAppOrigin(url, fileApp)).toBe(false);
  });

  it('a UNC app URL accepts only its own host', () => {
    const unc = 'file://server/share/tend/out/renderer/index.html';
    expect(isAppOrigin('file://server/share/tend/out/renderer/a.js', unc)).toBe(true);
    expect(isAppOrigin('file://other/share/tend/out/renderer/a.js', unc)).toBe(false);
    expect(isAppOrigin('file:///share/tend/out/renderer/a.js', unc)).toBe(false);
  });

  it('works with Windows drive paths', () => {
    const win = 'file:///C:/Program%20Files/Tend/resources/app.asar/out/renderer/index.html';
    expect(
      isAppOrigin(
        'file:///C:/Program%20Files/Tend/resources/app.asar/out/renderer/index.html#x',
        win,
      ),
    ).toBe(true);
    expect(isAppOrigin('file:///C:/Windows/System32/drivers/etc/hosts', win)).toBe(false);
    expect(
      isAppOrigin('file:///D:/Program%20Files/Tend/resources/app.asar/out/renderer/a', win),
    ).toBe(false);
  });
});

describe('isAppOrigin with the dev server', () => {
  it.each([
    ['its root', 'http://localhost:5173/'],
    ['a module', 'http://localhost:5173/src/main.tsx?t=1'],
    ['a route', 'http://localhost:5173/#settings'],
    ['the host in capitals', 'http://LOCALHOST:5173/'],
  ])('accepts %s', (_name, url) => {
    expect(isAppOrigin(url, devApp)).toBe(true);
  });

  it.each([
    ['another port', 'http://localhost:5174/'],
    ['another host name for the same machine', 'http://127.0.0.1:5173/'],
    ['https on the same port', 'https://localhost:5173/'],
    ['a look-alike host', 'http://localhost.example.com:5173/'],
    ['credentials before a foreign host', 'http://localhost:5173@example.com/'],
    ['a local file', 'file:///opt/tend/out/renderer/index.html'],
    ['garbage', '::'],
  ])('refuses %s', (_name, url) => {
    expect(isAppOrigin(url, devApp)).toBe(false);
  });

  it('matches https by origin, default port included', () => {
    expect(isAppOrigin('https://app.local:443/x', 'https://app.local/')).toBe(true);
    expect(isAppOrigin('https://app.local:8443/x', 'https://app.local/')).toBe(false);
  });
});

describe('isAppOrigin with an app URL it cannot use', () => {
  it.each(['', 'not a url', 'about:blank', 'data:text/html,x'])(
    'refuses everything for %j',
    (app) => {
      expect(isAppOrigin('file:///opt/tend/out/renderer/index.html', app)).toBe(false);
      expect(isAppOrigin(app, app)).toBe(false);
    },
  );
});
