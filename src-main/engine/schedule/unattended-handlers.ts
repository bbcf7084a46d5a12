import type { unattendedChannels } from '../../../src-shared/channels/unattended';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import { unattendedStatus } from './unattended-status';

/** The handlers of the unattended-backup channels. */
export function unattendedHandlers(engine: EngineServices): HandlersFor<typeof unattendedChannels> {
  return {
    'unattended:status': async () => unattendedStatus(engine.requireSession(), engine),
  };
}
