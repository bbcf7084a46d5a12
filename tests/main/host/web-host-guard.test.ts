/**
 * Issue 20 through the web host: the origin is checked exactly, the body is capped while it
 * streams, every response carries the security headers, and no path a caller types reaches
 * outside what the policy allows, token or not.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';
import { MAX_BODY_BYTES, startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { tempDir, writeFile } from '../../support/temp-dir';

const open: Array<{ host: WebHost; engine: Engine }> = [];
const savedHome = process.env.HOME;

afterEach(async () => {
  for (const { host, engine } of open.splice(0)) {
    await host.close();
    await engine.close();
  }
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
});

/** A host on a fresh demo-less root, with a fake home folder as the person's home. */
async function start() {
  const base = tempDir();
  const home = path.join(base, 'home');
  fs.mkdirSync(home);
  process.env.HOME = home;
  const rendererDir = path.join(base, 'renderer');
  writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Tend</title>');
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:create', { path: path.join(base, 'root') });
  const host = await startWebHost({ engine, rendererDir, port: 0 });
  open.push({ host, engine });
  return { host, engine, base, home };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
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

/** Calls a channel with the token, as the page does. */
async function api(host: WebHost, channel: string, input: unknown) {
  const answer = await request(host.port, {
    method: 'POST',
    path: `/api/${channel}`,
    headers: { 'x-tend-token': host.token, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: answer.status, ...(JSON.parse(answer.body) as object) } as {
    status: number;
    ok: boolean;
    error?: { code: string; message: string };
  };
}

const expectSecurityHeaders = (headers: http.IncomingHttpHeaders) => {
  expect(headers['content-security-policy']).toContain("default-src 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cache-control']).toBe('no-store');
};

describe('the web host’s own origin', () => {
  it('refuses another local app’s page, another scheme and another port, even with the token', async () => {
    const { host } = await start();
    const call = (origin: string) =>
      request(host.port, {
        method: 'POST',
        path: '/api/root:info',
        headers: { 'x-tend-token': host.token, origin },
        body: '{}',
      });
    for (const origin of [
      'http://localhost:8080',
      `http://127.0.0.1:${host.port + 1}`,
      `https://127.0.0.1:${host.port}`,
      'http://127.0.0.1',
    ]) {
      const answer = await call(origin);
      expect(answer.status, origin).toBe(403);
      expect(JSON.parse(answer.body).error.code).toBe('FORBIDDEN_ORIGIN');
    }
    expect((await call(`http://127.0.0.1:${host.port}`)).status).toBe(200);
  });

  it('puts the security headers on every response, refusals included', async () => {
    const { host } = await start();
    const answers = [
      await request(host.port, { path: '/' }),
      await request(host.port, { path: '/', headers: { host: 'evil.example' } }),
      await request(host.port, { method: 'POST', path: '/api/root:info', body: '{}' }),
      await request(host.port, { path: '/api/events' }),
      await request(host.port, { method: 'PUT', path: '/api/root:info' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 403, 401, 401, 404]);
    for (const answer of answers) expectSecurityHeaders(answer.headers);
  });
});

describe('the request body', () => {
  it('is refused with 413 from its declared length, before it is read', async () => {
    const { host } = await start();
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/api/root:info',
          headers: { 'x-tend-token': host.token, 'content-length': String(50 * 1024 * 1024) },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', () => undefined);
      // Only a little of the 50 MB is ever sent: the answer comes first.
      req.write('{"');
      req.on('response', () => req.destroy());
      setTimeout(() => reject(new Error('no answer')), 30_000).unref();
    });
    expect(answer.status).toBe(413);
    expectSecurityHeaders(answer.headers);
  });

  it('is given up on as soon as a streamed body passes the cap, while it is still being sent', async () => {
    const { host } = await start();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: '/api/root:info',
        headers: { 'x-tend-token': host.token, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', (error) => {
        if (!req.destroyed) reject(error);
      });
      // A body over the cap, never ended: only an answer given mid-stream can end this test.
      req.write(Buffer.alloc(MAX_BODY_BYTES + 64 * 1024, 0x20));
    });
    expect(status).toBe(413);
  });

  it('under the cap, counted in bytes, is read as before', async () => {
    const { host } = await start();
    // Characters that take three bytes each: under the cap in characters, over it in bytes.
    const wide = '€'.repeat(Math.ceil(MAX_BODY_BYTES / 3) + 10);
    const over = await request(host.port, {
      method: 'POST',
      path: '/api/root:info',
      headers: { 'x-tend-token': host.token },
      body: JSON.stringify({ pad: wide }),
    });
    expect(over.status).toBe(413);
    const fine = await api(host, 'root:info', {});
    expect(fine).toMatchObject({ status: 200, ok: true });
  });
});

describe('paths through the web host (issue 20’s reproductions)', () => {
  it('records:export cannot write ~/.bashrc, a relative path, or over a file', async () => {
    const { host, home, base } = await start();
    const bashrc = path.join(home, '.bashrc');
    fs.writeFileSync(bashrc, '# mine\n');
    for (const target of [bashrc, 'bashrc.jsonl', path.join(home, '.config', 'autostart', 'x')]) {
      const answer = await api(host, 'records:export', {
        kind: 'collections',
        format: 'jsonl',
        path: target,
      });
      expect(answer, target).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    }
    expect(fs.readFileSync(bashrc, 'utf8')).toBe('# mine\n');
    const existing = path.join(base, 'notes.jsonl');
    fs.writeFileSync(existing, 'keep\n');
    expect(
      await api(host, 'records:export', { kind: 'collections', format: 'jsonl', path: existing }),
    ).toMatchObject({ ok: false, error: { code: 'PATH_EXISTS' } });
    expect(
      await api(host, 'records:export', {
        kind: 'collections',
        format: 'jsonl',
        path: path.join(base, 'made', 'up', 'x.jsonl'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'PATH_PARENT_MISSING' } });
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep\n');
    expect(fs.existsSync(path.join(base, 'made'))).toBe(false);
  });

  it('root:open of a fake home is refused and writes nothing; the open root stays', async () => {
    const { host, engine, base } = await start();
    const fakeHome = path.join(base, 'someone');
    writeFile(path.join(fakeHome, 'Documents', 'lab-results.log'), 'results\n');
    writeFile(path.join(fakeHome, 'work', 'tmp', 'thesis-draft.docx'), 'draft\n');
    const answer = await api(host, 'root:open', { path: fakeHome });
    expect(answer).toMatchObject({ ok: false, error: { code: 'ROOT_NOT_ASSISTANT' } });
    expect(fs.existsSync(path.join(fakeHome, '.tend'))).toBe(false);
    expect(engine.rootPath).toBe(path.join(base, 'root'));
    for (const target of ['/', process.env.HOME!, '/etc']) {
      expect(await api(host, 'root:open', { path: target }), target).toMatchObject({
        ok: false,
        error: { code: 'ROOT_NOT_ALLOWED' },
      });
    }
  });

  it('other path channels stay inside what the policy allows', async () => {
    const { host, home, base } = await start();
    const ssh = path.join(home, '.ssh');
    writeFile(path.join(ssh, 'id_ed25519'), 'secret\n');
    const refusals: Array<[string, unknown, string]> = [
      ['backups:create', { destination: '/etc/tend-backups' }, 'PATH_NOT_ALLOWED'],
      ['backups:create', { destination: path.join(base, 'a', 'b') }, 'PATH_PARENT_MISSING'],
      ['backups:import', { path: ssh }, 'PATH_NOT_ALLOWED'],
      ['restore:plan', { backup: '/etc/passwd' }, 'PATH_NOT_ALLOWED'],
      ['restore:import', { file: path.join(ssh, 'id_ed25519') }, 'PATH_NOT_ALLOWED'],
      ['restore:export', { backup: 'x', target: '/usr/local/tend' }, 'PATH_NOT_ALLOWED'],
      ['vectors:import', { collection: 'notes', file: '/proc/self/environ' }, 'PATH_NOT_ALLOWED'],
      [
        'records:import',
        { kind: 'collections', format: 'csv', path: '/etc/shadow' },
        'PATH_NOT_ALLOWED',
      ],
      ['root:create', { path: path.join(base, 'x', 'y') }, 'PATH_PARENT_MISSING'],
      ['demo:generate', { path: '/usr/tend-demo' }, 'ROOT_NOT_ALLOWED'],
    ];
    for (const [channel, input, code] of refusals) {
      expect(await api(host, channel, input), channel).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    const settings = (await api(host, 'settings:get', {})) as unknown as {
      value: { backup: Record<string, unknown> };
    };
    const withDestination = (destination: string) => ({
      settings: { ...settings.value, backup: { ...settings.value.backup, destination } },
    });
    expect(await api(host, 'settings:set', withDestination(path.join(ssh, 'b')))).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED' },
    });
    expect(fs.existsSync('/etc/tend-backups')).toBe(false);
    expect(fs.existsSync(path.join(base, 'a'))).toBe(false);
    expect(fs.existsSync(path.join(base, 'x'))).toBe(false);
  });
});
