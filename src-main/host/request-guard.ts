import { timingSafeEqual } from 'node:crypto';

/** The names the host answers to: it binds 127.0.0.1, which `localhost` names too. */
const HOST_NAMES = ['127.0.0.1', 'localhost'] as const;

/**
 * Whether a request is for this host and from its own page: the Host header must name this
 * host and port exactly, and an Origin, when the browser sends one, must be this host's own
 * origin, scheme, name and port alike.
 *
 * A page on another site can make a browser send requests to 127.0.0.1 under a name it
 * controls (DNS rebinding): the Host header then carries that foreign name. Another local
 * app's page (`http://localhost:8080`) is another origin: its requests are refused even with
 * a stolen token.
 */
export function isOwnOriginRequest(
  host: string | undefined,
  origin: string | undefined,
  port: number,
): boolean {
  if (!host) return false;
  const allowedHosts = HOST_NAMES.map((name) => `${name}:${port}`);
  if (!allowedHosts.includes(host.toLowerCase())) return false;
  if (origin === undefined || origin === '') return true;
  return origin === `http://${host.toLowerCase()}`;
}

/** Compares a presented token with the real one in constant time. */
export function tokenMatches(presented: string | undefined | null, token: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A request body as text, read while it streams and given up on as soon as it passes `limit`
 * bytes (a declared Content-Length over it is refused before anything is read): null when it
 * is too large. A body is never buffered whole before it is measured.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<string | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // The rest is left unread; the answer closes the connection.
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
