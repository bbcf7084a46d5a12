import type { healthChannels } from '../../../src-shared/channels/health';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import { healthFigures } from './health-figures';

/** The handlers of the health channels. */
export function healthHandlers(engine: EngineServices): HandlersFor<typeof healthChannels> {
  return {
    'health:figures': async () => healthFigures(engine.requireSession(), engine),
  };
}
