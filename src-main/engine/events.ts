import { EventEmitter } from 'node:events';
import type { EventName, PayloadOf } from '../../src-shared/contract';

/** The engine's typed event bus; every transport forwards what it carries. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Each open window, SSE stream and CLI waiter listens; none of them is a leak.
    this.emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    this.emitter.emit(event, payload);
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
