import type { TendError } from '../../../src-shared/errors';

/**
 * What the UI knows about one request's answer.
 *
 * A refresh keeps the previous value, so a page does not blank out while it reloads.
 */
export type Loadable<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly value: T | null }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'error'; readonly error: TendError; readonly value: T | null };

/** Nothing asked yet. */
export const idle = { status: 'idle' } as const;

/** The value a loadable holds, whatever its state. */
export function valueOf<T>(loadable: Loadable<T>): T | null {
  return loadable.status === 'idle' ? null : loadable.value;
}

/** A loadable that is loading again, keeping what it had. */
export function reloading<T>(loadable: Loadable<T>): Loadable<T> {
  return { status: 'loading', value: valueOf(loadable) };
}
