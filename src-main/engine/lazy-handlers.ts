/**
 * A domain's handler map that loads the domain's code the first time one of its channels is
 * called.
 *
 * Note: the channel names come from the domain's channel map in src-shared (loaded anyway: the
 * door parses every input with it), so the engine's handler map is complete from the start and
 * typed from the contract like any other; only the handlers' modules wait. `tend info` then
 * never loads the backup, restore or vectors code, and neither does a desktop that has not
 * shown those pages yet.
 */
import type { HandlersFor } from './dispatch';

/** Loads a domain's handlers; called at most once while it succeeds. */
export type HandlersLoader<M> = () => Promise<HandlersFor<M>>;

/**
 * The handlers of every channel of `channels`, each of which loads the domain's handlers
 * (once, shared by every channel of the domain) and calls the one it names. A load that fails
 * is tried again at the next call, rather than failing every later call the same way.
 */
export function lazyHandlers<M extends object>(
  channels: M,
  load: HandlersLoader<M>,
): HandlersFor<M> {
  let loading: Promise<HandlersFor<M>> | null = null;
  const loaded = (): Promise<HandlersFor<M>> => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const channel of Object.keys(channels)) {
    handlers[channel] = async (input) => {
      const domain = (await loaded()) as Record<string, (input: unknown) => Promise<unknown>>;
      return domain[channel]!(input);
    };
  }
  return handlers as HandlersFor<M>;
}
