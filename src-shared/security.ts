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
