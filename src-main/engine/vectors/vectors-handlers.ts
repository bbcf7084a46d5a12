import type { vectorChannels } from '../../../src-shared/channels/vectors';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';

/** The handlers of the vectors channels. (Filled in by the vectors issue.) */
export function vectorHandlers(_engine: EngineServices): HandlersFor<typeof vectorChannels> {
  return {};
}
