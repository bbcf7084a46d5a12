import type { vectorChannels } from '../../../src-shared/channels/vectors';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import { VectorService } from './vector-service';
import { listUpkeep } from './vectors-records';

/** The handlers of the vectors channels. */
export function vectorHandlers(engine: EngineServices): HandlersFor<typeof vectorChannels> {
  const service = () => {
    const session = engine.requireSession();
    return VectorService.of(session, engine.events);
  };
  return {
    'vectors:collections': async () => ({ collections: service().listCollections() }),
    'vectors:create-collection': async (input) => service().createCollection(input),
    'vectors:import': async (input) => service().startImport(input),
    'vectors:delete-documents': async ({ collection, documentIds }) =>
      service().startDelete(collection, documentIds),
    'vectors:search': async (input) => service().search(input),
    'vectors:sample-chunks': async ({ collection, limit }) => ({
      chunks: service().sampleChunks(collection, limit),
    }),
    'vectors:health': async ({ collection }) => service().startHealth(collection),
    'vectors:compact': async ({ collection }) => service().startCompaction(collection, 'on demand'),
    'vectors:upkeep': async () => service().startUpkeep(),
    'vectors:upkeep-history': async ({ limit }) => {
      const session = engine.requireSession();
      return {
        runs: listUpkeep(session.catalog, limit, {
          ...(session.assistantStore
            ? { assistant: session.resolve(session.assistantStore.db) }
            : {}),
          catalog: session.state.catalog,
        }),
      };
    },
  };
}
