import type { usageChannels } from '../../../src-shared/channels/usage';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';

/** The handlers of the usage channels. (Filled in by the usage issue.) */
export function usageHandlers(_engine: EngineServices): HandlersFor<typeof usageChannels> {
  return {};
}
