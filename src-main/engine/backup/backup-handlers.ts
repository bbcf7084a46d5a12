import type { backupChannels } from '../../../src-shared/channels/backups';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';

/** The handlers of the backups channels. (Filled in by the backups issue.) */
export function backupHandlers(_engine: EngineServices): HandlersFor<typeof backupChannels> {
  return {};
}
