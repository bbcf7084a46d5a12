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

type Guard = (event: { url: string; preventDefault(): void }, input?: unknown) => void;

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
    /** A real click in the window, as the OS reports it. */
    click: () =>
      listeners.get('input-event')?.(
        { url: '', preventDefault: () => undefined },
        {
          type: 'mouseUp',
        },
      ),
    listens: (name: string) => listeners.has(name),
    openWindow: (url: string) => windowOpen?.({ url }),
  };
}

const links = ['https://example.com/help'];
/** A clock the test moves. */
let clock = 1_000_000;
const now = () => clock;

describe('applyContentsPolicies', () => {
  it('lets the app page navigate within itself', () => {
    const { contents, fire } = fakeContents();
    applyContentsPolicies(contents, appUrl);
    expect(fire('will-navigate', `${appUrl}#settings`)).toBe(false);
    expect(fire('will-redirect', appUrl)).toBe(false);
    expect(opened.links).toEqual([]);
  });

  it('refuses a foreign navigation and hands an app link to the browser after a click', () => {
    const { contents, fire, click } = fakeContents();
    applyContentsPolicies(contents, appUrl, links, now);
    expect(fire('will-navigate', 'https://example.com/help')).toBe(true);
    expect(opened.links).toEqual([]);
    click();
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'https://evil.example/?secret=1')).toBe(true);
    expect(fire('will-navigate', 'https://example.com/help')).toBe(true);
    expect(opened.links).toEqual(['https://example.com/help']);
  });

  it('opens one link per click, and none once the click is old', () => {
    const { contents, fire, click, openWindow } = fakeContents();
    applyContentsPolicies(contents, appUrl, links, now);
    click();
    fire('will-navigate', 'https://example.com/help');
    openWindow('https://example.com/help');
    expect(opened.links).toEqual(['https://example.com/help']);
    click();
    clock += 5_000;
    openWindow('https://example.com/help');
    expect(opened.links).toHaveLength(1);
  });

  it('opens nothing with the app’s own list, which holds no link today', () => {
    const { contents, fire, click } = fakeContents();
    applyContentsPolicies(contents, appUrl);
    click();
    expect(fire('will-navigate', 'https://example.com/help')).toBe(true);
    expect(opened.links).toEqual([]);
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
    ['https://example.com/help', ['https://example.com/help']],
    ['https://example.com/', []],
    [appUrl, []],
    ['javascript:alert(1)', []],
  ])('denies window.open(%j) after a click, opening %j in the browser', (url, expected) => {
    const { contents, openWindow, click } = fakeContents();
    applyContentsPolicies(contents, appUrl, links, now);
    click();
    expect(openWindow(url)).toEqual({ action: 'deny' });
    expect(opened.links).toEqual(expected);
  });

  it('opens nothing a script asks for without a click', () => {
    const { contents, openWindow } = fakeContents();
    applyContentsPolicies(contents, appUrl, links, now);
    expect(openWindow('https://example.com/help')).toEqual({ action: 'deny' });
    expect(opened.links).toEqual([]);
  });
});
