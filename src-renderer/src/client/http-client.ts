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
}

/** The part of EventSource the client uses. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

type Listener = (payload: unknown) => void;

function failure(message: string): Result<never> {
  return { ok: false, error: { code: 'INTERNAL', message } };
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

  function connectEvents(): void {
    if (source || !createEventSource) return;
    const token = encodeURIComponent(options.token ?? '');
    source = createEventSource(`${baseUrl}/api/events?${TOKEN_PARAM}=${token}`);
    for (const name of eventNames) {
      source.addEventListener(name, (event) => {
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
        return failure(`Cannot reach Tend: ${(error as Error)?.message ?? String(error)}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = null;
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
