/**
 * Which URLs are the app's own page: the built renderer on disk in production, the
 * electron-vite dev server in development. IPC, navigation and the CSP all ask this one
 * question, so they cannot disagree about it.
 */

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `url` belongs to the app whose page is `appUrl`.
 *
 * An http(s) app URL (the dev server) matches by origin. A file: app URL (out/renderer/index.html)
 * matches files inside its folder only: file: origins are opaque, and any local file a
 * compromised page navigated to would otherwise count as "the app".
 */
export function isAppOrigin(url: string, appUrl: string): boolean {
  const candidate = parse(url);
  const app = parse(appUrl);
  if (!candidate || !app) return false;
  if (app.protocol === 'http:' || app.protocol === 'https:') {
    return candidate.origin === app.origin;
  }
  if (app.protocol !== 'file:' || candidate.protocol !== 'file:') return false;
  // A UNC host (file://server/share) is a different machine, never the app's folder.
  if (candidate.host !== app.host) return false;
  // An encoded separator (`..%2f..%2f`) survives URL parsing as part of one segment, so the
  // prefix test below would pass a path that a decoder turns into a climb out of the folder.
  // The app's own files never have one in their names.
  if (/%(2f|5c)/i.test(candidate.pathname)) return false;
  // WHATWG URL parsing has already resolved `..` and `%2e%2e`, so a prefix test is safe.
  const folder = app.pathname.slice(0, app.pathname.lastIndexOf('/') + 1);
  return candidate.pathname.startsWith(folder);
}
