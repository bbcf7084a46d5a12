import { contentSecurityPolicy } from '../../src-shared/security';
import { isAppOrigin } from './app-origin';

/**
 * The CSP of the desktop window.
 *
 * Production uses the shared policy unchanged. The dev server needs two holes the built app
 * does not: @vitejs/plugin-react injects an inline Fast Refresh preamble and Vite injects CSS
 * as inline `<style>` tags, so dev adds 'unsafe-inline' for scripts and styles and lets the HMR
 * client open its websocket. Never used for a packaged app.
 */
export function contentSecurityPolicyFor(mode: 'production' | 'development'): string {
  if (mode === 'production') return contentSecurityPolicy;
  return contentSecurityPolicy
    .split('; ')
    .map((directive) => {
      if (directive.startsWith('script-src ') || directive.startsWith('style-src ')) {
        return `${directive} 'unsafe-inline'`;
      }
      if (directive.startsWith('connect-src ')) return `${directive} ws: wss:`;
      return directive;
    })
    .join('; ');
}

/** Response headers as Electron's webRequest gives and takes them. */
export type ResponseHeaders = Record<string, string[]>;

/**
 * The response headers with Tend's CSP set, for a response of the app's own page; any other
 * response's headers are returned as they came.
 *
 * A CSP the server sent (the dev server sends none) is replaced, whatever its header case, so
 * there is exactly one policy and it is ours.
 */
export function withContentSecurityPolicy(
  url: string,
  headers: ResponseHeaders | undefined,
  appUrl: string,
  policy: string,
): ResponseHeaders | undefined {
  if (!isAppOrigin(url, appUrl)) return headers;
  const next: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') next[name] = value;
  }
  next['Content-Security-Policy'] = [policy];
  return next;
}
