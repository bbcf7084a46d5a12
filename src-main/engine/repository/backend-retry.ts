import { setTimeout as sleep } from 'node:timers/promises';
import { cancelled } from './repository-errors';

/**
 * Retrying a storage operation across a dropped connection: the network backends (SFTP, S3)
 * run each operation through this, reconnecting between attempts, so a short outage costs a
 * pause instead of a failed backup. Only failures the caller calls transient are retried.
 */

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The pause before the second attempt; it doubles after each failure. */
  readonly firstDelayMs: number;
}

/** Four attempts over about 3.5 seconds. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 500 };

/** Runs `operation` until it succeeds, fails with a lasting error, or the attempts run out. */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  options: {
    readonly policy: RetryPolicy;
    readonly transient: (error: unknown) => boolean;
    readonly onRetry?: (error: unknown, attempt: number) => void;
    readonly signal?: AbortSignal;
  },
): Promise<T> {
  let delay = options.policy.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw cancelled();
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= options.policy.attempts || !options.transient(error)) throw error;
      options.onRetry?.(error, attempt);
      await sleep(delay);
      delay *= 2;
    }
  }
}
