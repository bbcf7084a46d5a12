import { beforeEach, describe, expect, it, vi } from 'vitest';

// Electron is the one thing faked: shell.openExternal records the links it was handed.
const opened = vi.hoisted(() => ({ links: [] as string[] }));
vi.mock('electron', () => ({
  shell: {
    openExternal: (url: string) => {
      opened.links.push(url);
      return Promise.resolve();
    },
  },
}));

const { applyContentsPolicies, applySessionPolicies } =
  await import('../../../src-main/electron/security');
type SessionArg = Parameters<typeof applySessionPolicies>[0];
type ContentsArg = Parameters<typeof applyContentsPolicies>[0];

const appUrl = 'file:///opt/tend/out/renderer/index.html';

beforeEach(() => {
  opened.links = [];
});

/** A session that keeps the handlers Tend installs, so the test can call them. */
function fakeSession() {
  const installed: {
    headers?: (
      details: { url: string; responseHeaders?: Record<string, string[]> },
      callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void;
    request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    check?: (contents: unknown, permission: string) => boolean;
    device?: (details: unknown) => boolean;
  } = {};
  const session = {
    webRequest: {
      onHeadersReceived: (listener: typeof installed.headers) => (installed.headers = listener),
    },
    setPermissionRequestHandler: (handler: typeof installed.request) =>
      (installed.request = handler),
    setPermissionCheckHandler: (handler: typeof installed.check) => (installed.check = handler),
    setDevicePermissionHandler: (handler: typeof installed.device) => (installed.device = handler),
  };
  return { session: session as unknown as SessionArg, installed };
}

describe('applySessionPolicies', () => {
  it('sets the CSP on the app page and leaves other responses alone', () => {
    const { session, installed } = fakeSession();
    applySessionPolicies(session, appUrl, 'POLICY');
    const answers: unknown[] = [];
    installed.headers?.(
      { url: appUrl, responseHeaders: { 'content-security-policy': ['x'] } },
      (r) => answers.push(r),
    );
    installed.headers?.({ url: 'https://example.com/', responseHeaders: { a: ['1'] } }, (r) =>
      answers.push(r),
    );
    installed.headers?.({ url: 'https://example.com/' }, (r) => answers.push(r));
    expect(answers).toEqual([
      { responseHeaders: { 'Content-Security-Policy': ['POLICY'] } },
      { responseHeaders: { a: ['1'] } },
      {},
    ]);
  });

  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal'])(
    'denies %s when asked and when checked',
    (permission) => {
      const { session, installed } = fakeSession();
      applySessionPolicies(session, appUrl, 'POLICY');
      const granted: boolean[] = [];
      installed.request?.({}, permission, (g) => granted.push(g));
      expect(granted).toEqual([false]);
      expect(installed.check?.({}, permission)).toBe(false);
    },
  );

  it('denies USB, HID and serial devices', () => {
    const { session, installed } = fakeSession();
    applySessionPolicies(session, appUrl, 'POLICY');
    expect(installed.device?.({ deviceType: 'usb' })).toBe(false);
  });
});

type Guard = (event: { url: string; preventDefault(): void }) => void;

/** Web contents that keep Tend's listeners, so the test can fire them. */
function fakeContents() {
  const listeners = new Map<string, Guard>();
  let windowOpen: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, listener: Guard) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof windowOpen) => (windowOpen = handler),
  };
  const fire = (name: string, url: string) => {
    let prevented = false;
    listeners.get(name)?.({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return {
    contents: contents as unknown as ContentsArg,
    fire,
    listens: (name: string) => listeners.has(name),
    openWindow: (url: string) => windowOpen?.({ url }),
  };
}

describe('applyContentsPolicies', () => {
  it('lets the app page navigate within itself', () => {
    const { contents, fire } = fakeContents();
    applyContentsPolicies(contents, appUrl);
    expect(fire('will-navigate', `${appUrl}#settings`)).toBe(false);
    expect(fire('will-redirect', appUrl)).toBe(false);
    expect(opened.links).toEqual([]);
  });

  it('refuses a foreign navigation and hands an https link to the browser', () => {
    const { contents, fire } = fakeContents();
    applyContentsPolicies(contents, appUrl);
    expect(fire('will-navigate', 'https://example.com/help')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'http://example.com/')).toBe(true);
    expect(opened.links).toEqual(['https://example.com/help']);
  });

  it('refuses a redirect away without opening anything', () => {
    const { contents, fire } = fakeContents();
    applyContentsPolicies(contents, appUrl);
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(opened.links).toEqual([]);
  });

  it('refuses every webview', () => {
    const { contents, fire, listens } = fakeContents();
    applyContentsPolicies(contents, appUrl);
    expect(listens('will-attach-webview')).toBe(true);
    expect(fire('will-attach-webview', appUrl)).toBe(true);
  });

  it.each<[string, string[]]>([
    ['https://example.com/', ['https://example.com/']],
    [appUrl, []],
    ['javascript:alert(1)', []],
  ])('denies window.open(%j), opening %j in the browser', (url, links) => {
    const { contents, openWindow } = fakeContents();
    applyContentsPolicies(contents, appUrl);
    expect(openWindow(url)).toEqual({ action: 'deny' });
    expect(opened.links).toEqual(links);
  });
});
