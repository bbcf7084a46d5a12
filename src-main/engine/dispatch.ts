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
 * Checks the path fields of a parsed input before its handler runs (root/path-gate.ts): it
 * answers the input to hand on, or throws a TendFailure.
 */
export type PathCheck = (channel: Channel, input: unknown) => Promise<unknown>;

/**
 * The one door every transport goes through: the channel is checked, the input is parsed by
 * its schema, its paths are checked, and whatever happens comes back as a Result with a
 * stable code.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawInput: unknown,
  checkPaths: PathCheck,
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
    const input = await checkPaths(channel, parsed.data);
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(input) };
  } catch (error) {
    if (error instanceof TendFailure) return { ok: false, error: error.toError() };
    return {
      ok: false,
      error: { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) },
    };
  }
}
