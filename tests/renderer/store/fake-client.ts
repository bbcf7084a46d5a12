import type { TendClient } from '../../../src-shared/client';
import type {
  Channel,
  EventName,
  InputOf,
  OutputOf,
  PayloadOf,
} from '../../../src-shared/contract';
import type { Result, TendError } from '../../../src-shared/errors';
import type { JobProgress, JobRecord } from '../../../src-shared/models/jobs';
import type { UsageSummary } from '../../../src-shared/models/root';

/** How the fake answers one channel; left out, the channel answers INTERNAL. */
export type Answers = {
  [C in Channel]?: (input: InputOf<C>) => Result<OutputOf<C>> | Promise<Result<OutputOf<C>>>;
};

/** One call the store made. */
export interface Call {
  channel: Channel;
  input: unknown;
}

/**
 * The transport under the store: answers from a table the test sets, records every call, and
 * delivers events the test emits. The store's logic runs for real on top of it.
 */
export function fakeClient(answers: Answers = {}) {
  const calls: Call[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const client: TendClient = {
    async invoke<C extends Channel>(channel: C, input: InputOf<C>) {
      calls.push({ channel, input });
      const answer = answers[channel] as
        ((input: InputOf<C>) => Result<OutputOf<C>> | Promise<Result<OutputOf<C>>>) | undefined;
      if (!answer) return failed('INTERNAL', `The test gave no answer for ${channel}.`);
      return answer(input);
    },
    on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
  };
  function emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    for (const listener of listeners.get(event) ?? [])
      (listener as (p: PayloadOf<E>) => void)(payload);
  }
  const callsTo = (channel: Channel) => calls.filter((call) => call.channel === channel);
  const listenerCount = () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
  return { client, answers, calls, callsTo, emit, listenerCount };
}

/** A successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failed Result with a code. */
export function failed(code: TendError['code'], message = `${code} happened.`): Result<never> {
  return { ok: false, error: { code, message } };
}

/** A promise the test resolves when it wants, to look at the state in between. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export { rootInfo } from '../../support/root-info';

/** A usage summary. */
export function usage(totalBytes = 1234): UsageSummary {
  return {
    root: '/data/root',
    totalBytes,
    totalFiles: 3,
    categories: [],
    measuredAt: '2026-11-22T10:00:00.000Z',
    durationMs: 5,
    watch: { live: true, why: null },
  };
}

const noProgress: JobProgress = {
  bytesDone: 0,
  bytesTotal: null,
  filesDone: 0,
  filesTotal: null,
  currentPath: null,
  etaSeconds: null,
  message: null,
};

/** A job record. */
export function job(overrides: Partial<JobRecord> & Pick<JobRecord, 'id'>): JobRecord {
  return {
    kind: 'usage-scan',
    title: 'Measuring',
    state: 'running',
    writesRoot: false,
    progress: noProgress,
    createdAt: '2026-11-22T10:00:00.000Z',
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: null,
    result: null,
    error: null,
    ...overrides,
  };
}

/** Lets the requests a slice started without waiting (`void loadUsage()`) finish. */
export function settle(): Promise<void> {
  // A macrotask runs after every pending promise callback, however long their chain.
  return new Promise((resolve) => setTimeout(resolve, 0));
}
