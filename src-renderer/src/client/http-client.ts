import type { TendClient } from '../../../src-shared/client';
import {
  eventChannels,
  eventNames,
  invokeChannels,
  type Channel,
  type EventName,
  type InputOf,
  type OutputOf,
  type PayloadOf,
} from '../../../src-shared/contract';
import { describeZodError, TendErrorSchema, type Result } from '../../../src-shared/errors';
import { TOKEN_HEADER, TOKEN_PARAM } from '../../../src-shared/security';

/** What the HTTP client needs from the page; tests pass fakes. */
export interface HttpClientOptions {
  /** The web host's per-start token, or null when the page was opened without one. */
  token: string | null;
  /** Prefix of the API, `''` for the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Builds the event stream; null leaves events off (tests that only invoke). */
  createEventSource?: ((url: string) => EventSourceLike) | null;
  /**
   * Called when the event stream fails (the host stopped, or refuses the key): the page then
   * asks whether Tend is still there, once, instead of every panel finding out on its own.
   */
  onStreamError?: () => void;
  /** How long to wait before opening a stream again that the browser gave up on. */
  reopenStreamAfterMs?: number;
}

/** The part of EventSource the client uses. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  /** 2 once the browser has given up on the stream (EventSource.CLOSED). */
  readonly readyState?: number;
}

/** Why the web host turned the page's key down, for the page to say the right thing. */
export type KeyProblem = 'stale-key' | 'no-key';

type Listener = (payload: unknown) => void;

function failure(message: string): Result<never> {
  return { ok: false, error: { code: 'INTERNAL', message } };
}

/**
 * A key the host refuses. With a key, the host was restarted since the page was opened (each
 * start makes a new key): the address to open is the new one. Without one, the page was
 * opened from an address that lost it.
 */
function refusedKey(hadKey: boolean): Result<never> {
  return {
    ok: false,
    error: hadKey
      ? {
          code: 'UNAUTHORIZED',
          message:
            'Tend was restarted since this page was opened, and each start of `tend serve` makes a new key. Open the new address it printed (it ends in ?token=…).',
          details: { reason: 'stale-key' satisfies KeyProblem },
        }
      : {
          code: 'UNAUTHORIZED',
          message:
            'This page was opened without its key. Open the full address `tend serve` printed (it ends in ?token=…).',
          details: { reason: 'no-key' satisfies KeyProblem },
        },
  };
}

/** Reads the JSON Result the web host answers with, whatever the HTTP status. */
function readResult<C extends Channel>(channel: C, body: unknown, status: number) {
  const envelope = body as { ok?: unknown; value?: unknown; error?: unknown } | null;
  if (envelope?.ok === true) {
    // Zod at the door: the page trusts the contract's shape, not the wire's.
    const parsed = invokeChannels[channel].output.safeParse(envelope.value);
    if (!parsed.success) {
      return failure(
        `Tend answered ${channel} in an unexpected shape: ${describeZodError(parsed.error).message}`,
      );
    }
    return { ok: true as const, value: parsed.data as OutputOf<C> };
  }
  if (envelope?.ok === false) {
    const error = TendErrorSchema.safeParse(envelope.error);
    if (error.success) return { ok: false as const, error: error.data };
  }
  return failure(`Tend answered ${channel} with HTTP ${status} and no readable result.`);
}

/**
 * The contract client over the web host: `POST /api/<channel>` and one server-sent-events stream.
 *
 * It never throws: a network failure or a malformed answer becomes an INTERNAL Result, so the
 * UI handles every outcome the same way it handles an engine error.
 */
export function createHttpClient(options: HttpClientOptions): TendClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const createEventSource =
    options.createEventSource === undefined
      ? (url: string) => new EventSource(url)
      : options.createEventSource;
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSourceLike | null = null;
  let reopenTimer: ReturnType<typeof setTimeout> | null = null;

  function connectEvents(): void {
    if (source || !createEventSource) return;
    const token = encodeURIComponent(options.token ?? '');
    const opened = createEventSource(`${baseUrl}/api/events?${TOKEN_PARAM}=${token}`);
    source = opened;
    opened.addEventListener('error', () => {
      options.onStreamError?.();
      // The browser retries a dropped stream by itself, but gives up on a refused one (a
      // restarted host): open it again later, so events flow once the host is back.
      if (opened.readyState === 2 && source === opened && reopenTimer === null) {
        opened.close();
        source = null;
        reopenTimer = setTimeout(() => {
          reopenTimer = null;
          connectEvents();
        }, options.reopenStreamAfterMs ?? 5_000);
      }
    });
    for (const name of eventNames) {
      opened.addEventListener(name, (event) => {
        let json: unknown;
        try {
          json = JSON.parse(event.data);
        } catch {
          return;
        }
        const payload = eventChannels[name].safeParse(json);
        if (!payload.success) return;
        for (const listener of listeners.get(name) ?? []) listener(payload.data);
      });
    }
  }

  return {
    async invoke<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}/api/${channel}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TOKEN_HEADER]: options.token ?? '',
          },
          body: JSON.stringify(input ?? {}),
        });
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'HOST_UNREACHABLE',
            message: `Cannot reach Tend: ${(error as Error)?.message ?? String(error)}. Is \`tend serve\` still running?`,
          },
        };
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      // The host's key guard, not an engine error that happens to travel with a 401.
      const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
      if (response.status === 401 && (code === undefined || code === 'UNAUTHORIZED')) {
        return refusedKey(Boolean(options.token));
      }
      return readResult(channel, body, response.status);
    },

    on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
      connectEvents();
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const wrapped: Listener = (payload) => listener(payload as PayloadOf<E>);
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };
}
