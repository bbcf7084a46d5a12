import type { restoreChannels } from '../../../src-shared/channels/restore';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import { restoreServiceFor } from './restore-service';

/** The handlers of the restore channels: each a thin call into the root's RestoreService. */
export function restoreHandlers(engine: EngineServices): HandlersFor<typeof restoreChannels> {
  const service = () => {
    const session = engine.requireSession();
    return restoreServiceFor(session, engine);
  };
  return {
    'restore:backups': async () => ({ backups: await service().backups() }),
    'restore:plan': async ({ backup, scope }) => service().plan(backup, scope),
    'restore:latest': async ({ which }) => service().latest(which),
    'restore:apply': async ({ backup, scope }) => service().apply(backup, scope),
    'restore:last': async () => ({ last: service().last() }),
    'restore:undo': async () => service().undo(),
    'restore:export': async ({ backup, target, scope }) => service().export(backup, target, scope),
    'restore:import': async ({ file }) => service().import(file),
    'restore:request-confirm': async () => {
      engine.requireSession();
      const at = new Date().toISOString();
      engine.events.emit('restore:confirm-requested', { at });
      return { at };
    },
  };
}
