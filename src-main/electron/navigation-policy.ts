import { appExternalLinks } from '../../src-shared/security';
import { isAppOrigin } from './app-origin';

/** What to do with a navigation or a new window a page asked for. */
export type NavigationDecision =
  | { action: 'allow' }
  /** Refused in the window; `openExternally` is the link to hand to the system browser. */
  | { action: 'deny'; openExternally: string | null };

/** How long after a real click or key press a link may still open: one gesture, one link. */
export const GESTURE_WINDOW_MS = 1_000;

/** What decides whether a link may leave the app. */
export interface ExternalLinkContext {
  /** The links Tend itself shows (src-shared/security.ts). */
  readonly allowList: ReadonlyArray<string>;
  /** When the person last clicked or pressed Enter or Space in the window (ms), or null. */
  readonly lastGestureAt: number | null;
  readonly now: number;
}

/** No link leaves the app: nothing is allow-listed and nobody clicked. */
const noLinks: ExternalLinkContext = { allowList: appExternalLinks, lastGestureAt: null, now: 0 };

function normalized(url: string): string | null {
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

/**
 * The link to open in the system browser, or null: only https, with a host and no
 * credentials, only one of the app's own links, and only right after a real click or key
 * press. A page cannot open a link by script (no gesture), nor carry data out in one (not
 * on the list). Plain http, file:, javascript:, custom schemes and anything malformed are
 * never handed to the OS, which would launch whatever handles them.
 */
export function externalLinkFor(
  url: string,
  context: ExternalLinkContext = noLinks,
): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (!context.allowList.some((link) => normalized(link) === parsed.href)) return null;
  if (context.lastGestureAt === null) return null;
  const since = context.now - context.lastGestureAt;
  if (since < 0 || since > GESTURE_WINDOW_MS) return null;
  return parsed.href;
}

/**
 * A page's request to navigate (`will-navigate`, `will-redirect`): the app's own page may
 * reload or change route; anything else is refused, and an app link clicked goes to the
 * browser.
 */
export function navigationDecision(
  url: string,
  appUrl: string,
  context: ExternalLinkContext = noLinks,
): NavigationDecision {
  if (isAppOrigin(url, appUrl)) return { action: 'allow' };
  return { action: 'deny', openExternally: externalLinkFor(url, context) };
}

/**
 * A page's request for a new window (`window.open`, `target=_blank`): always refused, since
 * Tend has one window; an app link clicked goes to the browser.
 */
export function windowOpenDecision(
  url: string,
  context: ExternalLinkContext = noLinks,
): NavigationDecision {
  return { action: 'deny', openExternally: externalLinkFor(url, context) };
}

/**
 * Whether an input event the window received is a person's gesture: a mouse click, or Enter
 * or Space (which follow a focused link). These come from the OS, never from page scripts.
 */
export function isUserGesture(input: { type: string; key?: string }): boolean {
  if (input.type === 'mouseUp') return true;
  return input.type === 'keyDown' && (input.key === 'Enter' || input.key === ' ');
}
