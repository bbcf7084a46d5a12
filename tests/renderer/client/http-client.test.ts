import { describe, expect, it } from 'vitest';
import {
  createHttpClient,
  type EventSourceLike,
  type HttpClientOptions,
} from '../../../src-renderer/src/client/http-client';
import { eventNames } from '../../../src-shared/contract';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { RootInfo } from '../../../src-shared/models/root';
import { rootInfo as rootInfoOf } from '../../support/root-info';

interface Request {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers every call with one response (or failure) and records the requests. */
function fakeFetch(answer: () => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    requests.push({
      url,
      method: init?.method,
      headers: init?.headers as Record<string, string>,
      body: JSON.parse(String(init?.body)),
    });
    return answer();
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function client(
  answer: () => Response | Promise<Response>,
  options: Partial<HttpClientOptions> = {},
) {
  const { fetch, requests } = fakeFetch(answer);
  return {
    client: createHttpClient({ token: 't0k', fetch, createEventSource: null, ...options }),
    requests,
  };
}

const rootInfo: RootInfo = { ...rootInfoOf(), disk: { freeBytes: 10, totalBytes: 20 } };

const job: JobRecord = {
  id: 'job-1',
  kind: 'demo',
  title: 'Writing demo data',
  state: 'running',
  writesRoot: true,
  progress: {
    bytesDone: 1,
    bytesTotal: 2,
    filesDone: 0,
    filesTotal: null,
    currentPath: null,
    etaSeconds: null,
    message: null,
  },
  createdAt: '2026-11-22T10:00:00.000Z',
  startedAt: '2026-11-22T10:00:01.000Z',
  finishedAt: null,
  result: null,
  error: null,
};

describe('createHttpClient invoke', () => {
  it('POSTs the input as JSON to /api/<channel> with the token header', async () => {
    const { client: c, requests } = client(() => json({ ok: true, value: rootInfo }), {
      baseUrl: 'http://127.0.0.1:4000',
    });
    await c.invoke('root:open', { path: '/data/root' });
    expect(requests).toEqual([
      {
        url: 'http://127.0.0.1:4000/api/root:open',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tend-token': 't0k' },
        body: { path: '/data/root' },
      },
    ]);
  });

  it('sends an empty token and an empty object when it has neither', async () => {
    const { client: c, requests } = client(() => json({ ok: true, value: { paths: [] } }), {
      token: null,
    });
    await c.invoke('root:recent', undefined as never);
    expect(requests[0]?.url).toBe('/api/root:recent');
    expect(requests[0]?.headers['x-tend-token']).toBe('');
    expect(requests[0]?.body).toEqual({});
  });

  it('answers with the value, parsed by the output schema', async () => {
    const { client: c } = client(() =>
      json({ ok: true, value: { ...rootInfo, somethingExtra: 'dropped' } }),
    );
    expect(await c.invoke('root:info', {})).toEqual({ ok: true, value: rootInfo });
  });

  it('fills in the schema defaults of the output', async () => {
    const { client: c } = client(() => json({ ok: true, value: {} }));
    const result = await c.invoke('settings:get', {});
    expect(result.ok && result.value.backup.retention.daily).toBe(7);
  });

  it('turns a value in the wrong shape into INTERNAL', async () => {
    const { client: c } = client(() => json({ ok: true, value: { path: 42 } }));
    const result = await c.invoke('root:info', {});
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: expect.stringContaining('root:info in an unexpected shape'),
      },
    });
  });

  it.each([200, 400, 401, 404, 500])(
    'passes an engine error through as it came, with HTTP %i',
    async (status) => {
      const error = {
        code: 'ROOT_NOT_FOUND',
        message: 'There is no folder /x.',
        details: { path: '/x' },
      };
      const { client: c } = client(() => json({ ok: false, error }, status));
      expect(await c.invoke('root:open', { path: '/x' })).toEqual({ ok: false, error });
    },
  );

  it.each<[string, () => Response, RegExp]>([
    [
      'a body that is not JSON',
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
      /HTTP 502/,
    ],
    ['no body', () => new Response(null, { status: 500 }), /HTTP 500/],
    ['JSON that is no Result', () => json({ hello: 'world' }, 500), /HTTP 500/],
    ['JSON null', () => json(null, 200), /HTTP 200/],
    [
      'an error with an unknown code',
      () => json({ ok: false, error: { code: 'NOPE', message: 'x' } }, 400),
      /HTTP 400/,
    ],
    [
      'an error without a message',
      () => json({ ok: false, error: { code: 'NO_ROOT' } }, 409),
      /HTTP 409/,
    ],
  ])('turns %s into INTERNAL', async (_name, answer, message) => {
    const { client: c } = client(answer);
    const result = await c.invoke('root:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(!result.ok && result.error.message).toMatch(message);
    expect(!result.ok && result.error.message).toContain('root:info');
  });

  it('turns a failed fetch into HOST_UNREACHABLE instead of throwing', async () => {
    const { client: c } = client(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(await c.invoke('root:info', {})).toEqual({
      ok: false,
      error: {
        code: 'HOST_UNREACHABLE',
        message: 'Cannot reach Tend: Failed to fetch. Is `tend serve` still running?',
      },
    });
  });

  it.each<[string | null, string, RegExp]>([
    ['an-old-key', 'stale-key', /was restarted since this page was opened.*new address/],
    [null, 'no-key', /opened without its key/],
  ])('a refused key %s is said for what it is (%s)', async (token, reason, message) => {
    const refused = {
      ok: false,
      error: { code: 'UNAUTHORIZED', message: 'The token is missing or wrong.' },
    };
    const { client: c } = client(() => json(refused, 401), { token });
    const result = await c.invoke('root:info', {});
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', details: { reason } },
    });
    expect(!result.ok && result.error.message).toMatch(message);
  });

  it('turns a fetch that throws at once into HOST_UNREACHABLE', async () => {
    const fetch = (() => {
      throw new Error('blocked');
    }) as typeof globalThis.fetch;
    const c = createHttpClient({ token: 't', fetch, createEventSource: null });
    await expect(c.invoke('root:info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'HOST_UNREACHABLE', message: expect.stringContaining('blocked') },
    });
  });
});

/** An EventSource that the test drives. */
class FakeEventSource implements EventSourceLike {
  readonly listeners = new Map<string, Array<(event: MessageEvent<string>) => void>>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data: string): void {
    for (const listener of this.listeners.get(type) ?? [])
      listener({ data } as MessageEvent<string>);
  }
}

function eventClient(token: string | null = 'a b&c') {
  const sources: FakeEventSource[] = [];
  const c = createHttpClient({
    token,
    baseUrl: 'http://127.0.0.1:4000',
    fetch: (() => Promise.reject(new Error('no fetch in event tests'))) as typeof fetch,
    createEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
  });
  return { client: c, sources };
}

describe('createHttpClient events', () => {
  it('opens one stream, on the first subscription, with the token in the query', () => {
    const { client: c, sources } = eventClient();
    expect(sources).toHaveLength(0);
    c.on('job:progress', () => undefined);
    c.on('root:changed', () => undefined);
    expect(sources).toHaveLength(1);
    expect(sources[0]?.url).toBe('http://127.0.0.1:4000/api/events?token=a%20b%26c');
    expect([...(sources[0]?.listeners.keys() ?? [])].sort()).toEqual(
      [...eventNames, 'error'].sort(),
    );
  });

  it('reports a failing stream, and opens one the browser gave up on again later', async () => {
    const sources: Array<FakeEventSource & { readyState: number }> = [];
    let troubles = 0;
    const c = createHttpClient({
      token: 't',
      fetch: (() => Promise.reject(new Error('no fetch'))) as typeof fetch,
      createEventSource: (url) => {
        const source = Object.assign(new FakeEventSource(url), { readyState: 0 });
        sources.push(source);
        return source;
      },
      onStreamError: () => troubles++,
      reopenStreamAfterMs: 0,
    });
    const got: unknown[] = [];
    c.on('root:changed', (info) => got.push(info));
    // A dropped stream the browser retries itself: reported, not replaced.
    sources[0]!.emit('error', '');
    expect(troubles).toBe(1);
    expect(sources).toHaveLength(1);
    // A stream the browser gave up on (a refused key): replaced, with the same listeners.
    sources[0]!.readyState = 2;
    sources[0]!.emit('error', '');
    expect(troubles).toBe(2);
    expect(sources[0]!.closed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sources).toHaveLength(2);
    sources[1]!.emit('root:changed', JSON.stringify(rootInfo));
    expect(got).toEqual([rootInfo]);
  });

  it('delivers a payload parsed by its schema to the listeners of that event only', () => {
    const { client: c, sources } = eventClient();
    const progress: unknown[] = [];
    const finished: unknown[] = [];
    c.on('job:progress', (p) => progress.push(p));
    c.on('job:finished', (p) => finished.push(p));
    sources[0]?.emit('job:progress', JSON.stringify({ ...job, extra: true }));
    expect(progress).toEqual([job]);
    expect(finished).toEqual([]);
  });

  it.each([
    ['bad JSON', '{"id": '],
    ['an empty message', ''],
    ['a payload that breaks the schema', JSON.stringify({ ...job, state: 'exploded' })],
    ['null', 'null'],
  ])('ignores %s and keeps delivering', (_name, data) => {
    const { client: c, sources } = eventClient();
    const seen: unknown[] = [];
    c.on('job:progress', (p) => seen.push(p));
    expect(() => sources[0]?.emit('job:progress', data)).not.toThrow();
    sources[0]?.emit('job:progress', JSON.stringify(job));
    expect(seen).toEqual([job]);
  });

  it('unsubscribing stops one listener and leaves the others', () => {
    const { client: c, sources } = eventClient();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = c.on('root:changed', (p) => a.push(p));
    c.on('root:changed', (p) => b.push(p));
    offA();
    sources[0]?.emit('root:changed', JSON.stringify(rootInfo));
    expect(a).toEqual([]);
    expect(b).toEqual([rootInfo]);
  });

  it('sends an empty token on the stream when it has none', () => {
    const { client: c, sources } = eventClient(null);
    c.on('job:finished', () => undefined);
    expect(sources[0]?.url).toBe('http://127.0.0.1:4000/api/events?token=');
  });

  it('opens no stream when events are off', () => {
    const c = createHttpClient({ token: 't', createEventSource: null });
    const off = c.on('job:progress', () => undefined);
    expect(typeof off).toBe('function');
    off();
  });
});
