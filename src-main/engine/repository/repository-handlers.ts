import type { repositoryChannels } from '../../../src-shared/channels/repository';
import { readSettings } from '../root/settings-file';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import type { RepositoryService } from './repository-service';

/**
 * The open root's repository service, loaded when a repository channel is first called: the
 * repository engine pulls in the ciphers and zstd, which every other start would pay for.
 */
export async function loadRepositoryService(engine: EngineServices): Promise<RepositoryService> {
  const session = engine.requireSession();
  const { repositoryServiceFor } = await import('./repository-service');
  return repositoryServiceFor(session, engine);
}

/** The handlers of the repository channels. */
export function repositoryHandlers(engine: EngineServices): HandlersFor<typeof repositoryChannels> {
  const service = () => loadRepositoryService(engine);
  return {
    'repository:status': async () => (await service()).status(),
    'repository:set': async ({ destination, s3Keys, sftpPassword }) =>
      (await service()).setDestination(destination, s3Keys, sftpPassword),
    'repository:test': async ({ destination, s3Keys, sftpPassword }) =>
      (await service()).test(destination, s3Keys, sftpPassword),
    'repository:init': async ({ passphrase }) => (await service()).create(passphrase),
    'repository:unlock': async ({ passphrase }) => (await service()).unlock(passphrase),
    'repository:lock': async () => (await service()).lock(),
    'repository:forget-sftp-password': async () => (await service()).forgetSftpPassword(),
    'repository:keys': async () => ({ keys: await (await service()).keys() }),
    'repository:key-add': async ({ passphrase }) => (await service()).addKey(passphrase),
    'repository:key-remove': async ({ id }) => (await service()).removeKey(id),
    'repository:snapshots': async () => ({ snapshots: await (await service()).snapshots() }),
    'repository:backup': async ({ kind }) => (await service()).startBackup(kind),
    'repository:verify': async ({ mode }) => (await service()).startVerify(mode),
    'repository:forget': async () => {
      const settings = await readSettings(engine.requireSession().state.settings);
      return (await service()).startRetention(settings.backup.retention);
    },
  };
}
