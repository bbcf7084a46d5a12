import type { restoreChannels } from '../../../src-shared/channels/restore';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';

/** The handlers of the restore channels. (Filled in by the restore issue.) */
export function restoreHandlers(_engine: EngineServices): HandlersFor<typeof restoreChannels> {
  return {};
}
