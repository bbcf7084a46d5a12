import {
  invokeChannels,
  isChannel,
  type Channel,
  type OutputOf,
  type ParsedInputOf,
} from '../../src-shared/contract';
import { describeZodError, TendFailure, type Result } from '../../src-shared/errors';

/** One function per channel of a channel map, typed from the contract. */
export type HandlersFor<M> = {
  [C in keyof M & Channel]: (input: ParsedInputOf<C>) => Promise<OutputOf<C>>;
};

/** One function per invoke channel, typed from the contract. Handlers throw TendFailure. */
export type Handlers = HandlersFor<typeof invokeChannels>;

/**
 * The one door every transport goes through: the channel is checked, the input is parsed by
 * its schema, and whatever happens comes back as a Result with a stable code.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawInput: unknown,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel ${channel}.` },
    };
  }
  const parsed = invokeChannels[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const { message, issues } = describeZodError(parsed.error);
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `${channel}: ${message}`, details: { issues } },
    };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof TendFailure) return { ok: false, error: error.toError() };
    return {
      ok: false,
      error: { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) },
    };
  }
}
