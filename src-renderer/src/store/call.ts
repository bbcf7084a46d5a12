import type { TendClient } from '../../../src-shared/client';
import type { Channel, InputOf, OutputOf } from '../../../src-shared/contract';
import type { Result } from '../../../src-shared/errors';

/**
 * Invokes a channel and never rejects.
 *
 * The clients answer with Results, but a preload or a bug can still throw; the UI then shows an
 * INTERNAL error instead of leaving a spinner turning forever.
 */
export async function call<C extends Channel>(
  client: TendClient,
  channel: C,
  input: InputOf<C>,
): Promise<Result<OutputOf<C>>> {
  try {
    return await client.invoke(channel, input);
  } catch (error) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) },
    };
  }
}
