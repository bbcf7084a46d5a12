import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { eventNames } from '../../src-shared/contract';
import type { ErrorCode, Result } from '../../src-shared/errors';
import { contentSecurityPolicy, TOKEN_HEADER, TOKEN_PARAM } from '../../src-shared/security';
import type { Engine } from '../engine/engine';
import { isOwnOriginRequest, readBodyWithin, tokenMatches } from './request-guard';
import { readStaticFile } from './static-files';

/** A running web host. */
export interface WebHost {
  /** The address to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** How to start the web host. */
export interface WebHostOptions {
  engine: Engine;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
}

/** The largest API request body, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The headers every response carries, whichever route (or refusal) made it. */
export const securityHeaders: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', contentSecurityPolicy],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cache-Control', 'no-store'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

/** A response with the security headers set, over whatever headers it had. */
export function withSecurityHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of securityHeaders) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

const statusFor: Partial<Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 500>> = {
  INVALID_INPUT: 400,
  UNKNOWN_CHANNEL: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN_ORIGIN: 403,
  DATA_LOCKED: 409,
  INTERNAL: 500,
};

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/**
 * Serves the renderer and the engine's handlers on 127.0.0.1 only.
 *
 * Every API call must carry the random token made at this start; a request whose Host is not
 * this host or whose Origin is not its own origin is refused before anything else runs.
 * Every response carries the security headers, refusals included.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { engine, rendererDir } = options;
  const token = randomBytes(24).toString('base64url');
  const app = new Hono();
  // Known once the server listens, before the first request can arrive.
  let port = 0;

  app.use('*', async (c, next) => {
    if (!isOwnOriginRequest(c.req.header('host'), c.req.header('origin'), port)) {
      return c.json(
        failure('FORBIDDEN_ORIGIN', `Tend only answers its own page at http://127.0.0.1:${port}.`),
        403,
      );
    }
    await next();
  });

  app.get('/api/events', (c) => {
    if (!tokenMatches(c.req.query(TOKEN_PARAM), token)) {
      return c.json(failure('UNAUTHORIZED', 'The token is missing or wrong.'), 401);
    }
    return streamSSE(c, async (stream) => {
      const unsubscribe = eventNames.map((event) =>
        engine.events.on(event, (payload) => {
          void stream.writeSSE({ event, data: JSON.stringify(payload) });
        }),
      );
      const ping = setInterval(() => void stream.writeSSE({ event: 'ping', data: '{}' }), 15_000);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      clearInterval(ping);
      unsubscribe.forEach((off) => off());
    });
  });

  app.post('/api/:channel', async (c) => {
    if (!tokenMatches(c.req.header(TOKEN_HEADER), token)) {
      return c.json(
        failure(
          'UNAUTHORIZED',
          'This page was opened without its key. Open the full address `tend serve` printed (it ends in ?token=…); a restarted host prints a new one.',
        ),
        401,
      );
    }
    const text = await readBodyWithin(c.req.raw, MAX_BODY_BYTES);
    if (text === null) {
      return c.json(
        failure('INVALID_INPUT', `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
        413,
        { Connection: 'close' },
      );
    }
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        return c.json(failure('INVALID_INPUT', 'The request body is not valid JSON.'), 400);
      }
    }
    const result = await engine.dispatch(c.req.param('channel'), input);
    const status = result.ok ? 200 : (statusFor[result.error.code] ?? 422);
    return c.json(result, status);
  });

  app.all('/api/*', (c) => c.json(failure('UNKNOWN_CHANNEL', 'Use POST /api/<channel>.'), 404));

  app.get('*', async (c) => {
    const file =
      (await readStaticFile(rendererDir, c.req.path)) ??
      // The renderer is one page; unknown paths get it too, so reloads keep working.
      (await readStaticFile(rendererDir, '/'));
    if (!file) return c.text('The renderer is not built. Run `npm run build` first.', 503);
    return c.body(new Uint8Array(file.body), 200, { 'Content-Type': file.contentType });
  });

  const server: ServerType = await new Promise((resolve, reject) => {
    const started = serve(
      {
        fetch: async (request, env) => withSecurityHeaders(await app.fetch(request, env)),
        hostname: '127.0.0.1',
        port: options.port,
      },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
