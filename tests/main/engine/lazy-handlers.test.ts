import { describe, expect, it } from 'vitest';
import { restoreChannels } from '../../../src-shared/channels/restore';
import type { HandlersFor } from '../../../src-main/engine/dispatch';
import { lazyHandlers } from '../../../src-main/engine/lazy-handlers';

/** A handler map over a few real channels whose every handler says which channel it is. */
const channels = restoreChannels;
type Loaded = HandlersFor<typeof channels>;

function answering(): Loaded {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const channel of Object.keys(channels)) {
    handlers[channel] = async (input) => ({ channel, input });
  }
  return handlers as unknown as Loaded;
}

describe('lazyHandlers', () => {
  it('has every channel of the map before anything is loaded, and loads nothing until a call', () => {
    let loads = 0;
    const handlers = lazyHandlers(channels, async () => {
      loads++;
      return answering();
    });
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(channels).sort());
    expect(loads).toBe(0);
  });

  it('loads the domain once for all its channels, also for calls made at the same time', async () => {
    let loads = 0;
    const handlers = lazyHandlers(channels, async () => {
      loads++;
      return answering();
    });
    const names = Object.keys(channels) as Array<keyof Loaded>;
    const call = (name: keyof Loaded, input: unknown) =>
      (handlers[name] as (input: unknown) => Promise<unknown>)(input);
    const answers = await Promise.all(names.map((name, at) => call(name, { at })));
    expect(answers).toEqual(names.map((channel, at) => ({ channel, input: { at } })));
    await call(names[0]!, 'again');
    expect(loads).toBe(1);
  });

  it('passes a failed load on to the call, and tries again at the next one', async () => {
    const outcomes = [new Error('the chunk is missing'), null];
    let loads = 0;
    const handlers = lazyHandlers(channels, async () => {
      const outcome = outcomes[loads++];
      if (outcome) throw outcome;
      return answering();
    });
    const name = Object.keys(channels)[0] as keyof Loaded;
    const call = (input: unknown) =>
      (handlers[name] as (input: unknown) => Promise<unknown>)(input);
    await expect(call(1)).rejects.toThrow('the chunk is missing');
    await expect(call(2)).resolves.toEqual({ channel: name, input: 2 });
    expect(loads).toBe(2);
  });
});
