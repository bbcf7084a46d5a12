import { timingSafeEqual } from 'node:crypto';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The host name of a Host header value or an origin URL, or null when it cannot be read. */
function hostnameOf(value: string, isOrigin: boolean): string | null {
  try {
    const url = new URL(isOrigin ? value : `http://${value}`);
    return url.hostname;
  } catch {
    return null;
  }
}

/**
 * Whether a request's Host and Origin are both loopback names.
 *
 * A page on another site can make a browser send requests to 127.0.0.1 under a name it controls
 * (DNS rebinding); the Host header then carries that foreign name, so it is refused.
 */
export function isLoopbackRequest(host: string | undefined, origin: string | undefined): boolean {
  if (!host) return false;
  const hostName = hostnameOf(host, false);
  if (!hostName || !LOOPBACK_HOSTS.has(hostName)) return false;
  if (origin === undefined || origin === '') return true;
  const originName = hostnameOf(origin, true);
  return originName !== null && LOOPBACK_HOSTS.has(originName);
}

/** Compares a presented token with the real one in constant time. */
export function tokenMatches(presented: string | undefined | null, token: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
