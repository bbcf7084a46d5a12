/**
 * The Content-Security-Policy of every page Tend shows, in the desktop window and from the
 * web host alike: only Tend's own scripts, styles and images; no eval, no inline script, no
 * plugins, no framing.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The header that carries the web host's per-start token on every API call. */
export const TOKEN_HEADER = 'x-tend-token';

/** The query parameter that carries the token in the printed URL and on the event stream. */
export const TOKEN_PARAM = 'token';

/**
 * The external links Tend itself shows (help, project pages): the only addresses the desktop
 * app ever hands to the system browser, and only right after a click on them. Tend shows none
 * today; a link added to the pages must be added here too, or it will not open.
 */
export const appExternalLinks: ReadonlyArray<string> = [];
