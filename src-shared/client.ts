import type { Channel, EventName, InputOf, OutputOf, PayloadOf } from './contract';
import type { Result } from './errors';

/** What the renderer (or any caller) talks to, whatever the transport underneath. */
export interface TendClient {
  invoke<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
}
