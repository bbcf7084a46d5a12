import type { maintenanceChannels } from '../../../src-shared/channels/maintenance';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';

/** The handlers of the maintenance channels. (Filled in by the maintenance issue.) */
export function maintenanceHandlers(
  _engine: EngineServices,
): HandlersFor<typeof maintenanceChannels> {
  return {};
}
