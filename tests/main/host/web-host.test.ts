import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { isOwnOriginRequest } from '../../../src-main/host/request-guard';
import { tempDir, writeFile } from '../../support/temp-dir';

const open: Array<{ host: WebHost; engine: Engine }> = [];
afterEach(async () => {
  for (const { host, engine } of open.splice(0)) {
    await host.close();
    await engine.close();
  }
});

async function start(withRenderer = true) {
  const base = tempDir();
  const rendererDir = path.join(base, 'renderer');
  if (withRenderer)
    writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Tend</title>');
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:create', { path: path.join(base, 'root') });
  const host = await startWebHost({ engine, rendererDir, port: 0 });
  open.push({ host, engine });
  return { host, engine, base };
}

/** A raw request, so tests can send a Host header fetch would not allow. */
function request(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('web host', () => {
  it('binds 127.0.0.1 and prints a URL with the token', async () => {
    const { host } = await start();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
  });

  it('answers API calls with the token and refuses them without', async () => {
    const { host, base } = await start();
    const call = (headers: Record<string, string>, body = '{}') =>
      request(host.port, { method: 'POST', path: '/api/root:info', headers, body });
    const ok = await call({ 'x-tend-token': host.token });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({
      ok: true,
      value: { path: path.join(base, 'root') },
    });
    const missing = await call({});
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await call({ 'x-tend-token': `${host.token}x` })).status).toBe(401);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding)', async () => {
    const { host } = await start();
    const headers = { 'x-tend-token': host.token };
    const foreignHost = await request(host.port, {
      method: 'POST',
      path: '/api/root:info',
      headers: { ...headers, host: `evil.example:${host.port}` },
    });
    expect(foreignHost.status).toBe(403);
    expect(JSON.parse(foreignHost.body).error.code).toBe('FORBIDDEN_ORIGIN');
    const foreignOrigin = await request(host.port, {
      method: 'POST',
      path: '/api/root:info',
      headers: { ...headers, origin: 'https://evil.example' },
    });
    expect(foreignOrigin.status).toBe(403);
    expect(
      (await request(host.port, { path: '/', headers: { host: 'evil.example' } })).status,
    ).toBe(403);
  });

  it('refuses bad input with its code and status', async () => {
    const { host } = await start();
    const post = (channel: string, body: string) =>
      request(host.port, {
        method: 'POST',
        path: `/api/${channel}`,
        headers: { 'x-tend-token': host.token },
        body,
      });
    const notJson = await post('root:open', '{oops');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe('INVALID_INPUT');
    const badShape = await post('root:open', '{"path": 3}');
    expect(badShape.status).toBe(400);
    const unknown = await post('no:such', '{}');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('UNKNOWN_CHANNEL');
    const missingRoot = await post('root:open', '{"path": "/definitely/not/here"}');
    expect(JSON.parse(missingRoot.body).error.code).toBe('ROOT_NOT_FOUND');
  });

  it('serves the renderer with the CSP, and says when it is not built', async () => {
    const { host } = await start();
    const page = await request(host.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Tend</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await request(host.port, { path: '/../../etc/passwd' })).body).toContain(
      '<title>Tend</title>',
    );
    const bare = await start(false);
    expect((await request(bare.host.port, { path: '/' })).status).toBe(503);
  });

  it('streams engine events to a client with the token', async () => {
    const { host, engine } = await start();
    const received = new Promise<string>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}` },
        (res) => {
          expect(res.statusCode).toBe(200);
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
            if (text.includes('event: settings:changed')) {
              req.destroy();
              resolve(text);
            }
          });
          // Once the stream is open, make an event happen.
          setTimeout(async () => {
            const settings = await engine.call('settings:get');
            await engine.call('settings:set', { settings });
          }, 50);
        },
      );
      req.on('error', reject);
    });
    expect(await received).toMatch(/event: settings:changed\ndata: \{"version":1/);
    expect((await request(host.port, { path: '/api/events' })).status).toBe(401);
  });
});

describe('isOwnOriginRequest', () => {
  it.each([
    ['127.0.0.1:8080', undefined, true],
    ['127.0.0.1:8080', '', true],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080', true],
    ['localhost:8080', 'http://localhost:8080', true],
    ['LOCALHOST:8080', 'http://localhost:8080', true],
    // Another port is another origin: another local app's page.
    ['127.0.0.1:8080', 'http://127.0.0.1:9090', false],
    ['127.0.0.1:8080', 'http://localhost:9090', false],
    ['127.0.0.1:8080', 'https://127.0.0.1:8080', false],
    ['127.0.0.1:8080', 'http://localhost:8080', false],
    ['127.0.0.1:9090', undefined, false],
    ['127.0.0.1', undefined, false],
    ['[::1]:8080', undefined, false],
    ['127.0.0.1:8080', 'null', false],
    ['evil.example:8080', undefined, false],
    ['127.0.0.1.evil.example:8080', undefined, false],
    [undefined, undefined, false],
    ['127.0.0.1:8080', 'http://evil.example', false],
  ])('host %s origin %s → %s', (host, origin, expected) => {
    expect(isOwnOriginRequest(host, origin, 8080)).toBe(expected);
  });
});
