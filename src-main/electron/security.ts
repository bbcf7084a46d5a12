/**
 * Hands the pure policies to Electron: a few lines each, so what they decide is tested
 * without Electron in app-origin, content-security, navigation-policy and permission-policy.
 */
import { shell, type Session, type WebContents } from 'electron';
import { appExternalLinks } from '../../src-shared/security';
import { withContentSecurityPolicy } from './content-security';
import {
  isUserGesture,
  navigationDecision,
  windowOpenDecision,
  type ExternalLinkContext,
  type NavigationDecision,
} from './navigation-policy';
import { isPermissionGranted } from './permission-policy';

function openExternally(decision: NavigationDecision): void {
  if (decision.action === 'deny' && decision.openExternally !== null) {
    shell.openExternal(decision.openExternally).catch((error: unknown) => {
      console.error('Tend could not open a link in the browser:', error);
    });
  }
}

/** Sets the CSP on the app's own pages and refuses every permission, for one session. */
export function applySessionPolicies(session: Session, appUrl: string, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = withContentSecurityPolicy(
      details.url,
      details.responseHeaders,
      appUrl,
      policy,
    );
    callback(responseHeaders ? { responseHeaders } : {});
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(isPermissionGranted(permission));
  });
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  // WebHID, WebUSB and Web Serial ask through a separate device handler.
  session.setDevicePermissionHandler(() => false);
}

/**
 * Keeps one web contents on the app's page: no foreign navigation, no new windows, no
 * webviews; an app link opens in the browser only right after the person clicked it.
 */
export function applyContentsPolicies(
  contents: WebContents,
  appUrl: string,
  allowList: ReadonlyArray<string> = appExternalLinks,
  now: () => number = Date.now,
): void {
  let lastGestureAt: number | null = null;
  // Input events come from the OS; a page script cannot make one.
  contents.on('input-event', (_event, input) => {
    if (isUserGesture(input)) lastGestureAt = now();
  });
  const links = (): ExternalLinkContext => ({ allowList, lastGestureAt, now: now() });
  const openOnce = (decision: NavigationDecision) => {
    // One gesture, one link: a script cannot follow a click with more.
    if (decision.action === 'deny' && decision.openExternally !== null) lastGestureAt = null;
    openExternally(decision);
  };
  const guard = (event: { preventDefault(): void; url: string }) => {
    const decision = navigationDecision(event.url, appUrl, links());
    if (decision.action === 'allow') return;
    event.preventDefault();
    openOnce(decision);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', (event) => {
    // A redirect is never a link the user clicked: refuse it without opening anything.
    if (navigationDecision(event.url, appUrl).action === 'deny') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOnce(windowOpenDecision(url, links()));
    return { action: 'deny' };
  });
}
