import { isAppOrigin } from './app-origin';

/** What to do with a navigation or a new window a page asked for. */
export type NavigationDecision =
  | { action: 'allow' }
  /** Refused in the window; `openExternally` is the link to hand to the system browser. */
  | { action: 'deny'; openExternally: string | null };

/**
 * The link to open in the system browser, or null: only https, with a host and no
 * credentials. Plain http, file:, javascript:, custom schemes and anything malformed are
 * never handed to the OS, which would launch whatever handles them.
 */
export function externalLinkFor(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

/**
 * A page's request to navigate (`will-navigate`, `will-redirect`): the app's own page may
 * reload or change route; anything else is refused, and https links go to the browser.
 */
export function navigationDecision(url: string, appUrl: string): NavigationDecision {
  if (isAppOrigin(url, appUrl)) return { action: 'allow' };
  return { action: 'deny', openExternally: externalLinkFor(url) };
}

/**
 * A page's request for a new window (`window.open`, `target=_blank`): always refused, since
 * Tend has one window; https links go to the browser.
 */
export function windowOpenDecision(url: string): NavigationDecision {
  return { action: 'deny', openExternally: externalLinkFor(url) };
}
