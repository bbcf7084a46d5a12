import fs from 'node:fs/promises';
import path from 'node:path';
import type { backupChannels } from '../../../src-shared/channels/backups';
import { TendFailure } from '../../../src-shared/errors';
import { isFinished } from '../../../src-shared/models/jobs';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import {
  findAppBackup,
  importAppBackup,
  listAppBackups,
  planAppBackupImport,
} from './app-backup-import';
import { backupServiceFor } from './backup-service';

/** The handlers of the backups channels. */
export function backupHandlers(engine: EngineServices): HandlersFor<typeof backupChannels> {
  const service = () => {
    const session = engine.requireSession();
    return { session, backups: backupServiceFor(session, engine) };
  };
  return {
    'backups:list': async () => {
      const { session, backups } = service();
      await backups.importDestinationIfNew();
      const runningJob =
        session.jobs.list(20, 'backup').find((job) => !isFinished(job.state)) ?? null;
      return { backups: backups.list(), runningJob, unavailable: await backups.unavailable() };
    },
    'backups:create': async ({ kind, categories, destination }) => {
      const { backups } = service();
      await backups.checkDestination({ kind, destination });
      return backups.start({ kind, categories, destination });
    },
    'backups:verify': async ({ id, depth }) => service().backups.startVerify([id], depth),
    'backups:delete': async ({ id }) => service().backups.delete(id),
    'backups:prune-plan': async ({ policy }) => service().backups.planPrune(policy),
    'backups:prune': async () => service().backups.prune(),
    'backups:import': async ({ path: folder }) => {
      const { backups } = service();
      const target = folder ?? (await backups.destinationInfo()).path;
      if (!target) {
        throw new TendFailure(
          'NO_DESTINATION',
          'No backup destination is set; say which folder to read.',
        );
      }
      const real = await fs.realpath(path.resolve(target)).catch(() => null);
      if (!real) {
        throw new TendFailure('DESTINATION_UNAVAILABLE', `The folder ${target} does not exist.`);
      }
      return { added: await backups.importFrom(real) };
    },
    'backups:destination': async () => service().backups.destinationInfo(),
    'backups:app-list': async () => {
      const { session, backups } = service();
      return listAppBackups(session, backups);
    },
    'backups:app-import': async ({ file, dryRun }) => {
      const { session, backups } = service();
      if (dryRun) {
        const { plan } = await planAppBackupImport(session, backups, file);
        return { plan, job: null };
      }
      // Named at the door: a file that is not one of the app's backups starts no job.
      await findAppBackup(session, file);
      await backups.checkDestination({ kind: 'full' });
      const job = session.jobs.start({
        kind: 'backup',
        title: `Import ${file}`,
        writesRoot: false,
        run: (context) => importAppBackup(context, session, backups, file),
      });
      return { plan: null, job };
    },
  };
}
