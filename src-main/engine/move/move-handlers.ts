import type { moveChannels } from '../../../src-shared/channels/move';
import { MoveReportSchema } from '../../../src-shared/models/move';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import { movePlaceIn } from './move-journal';
import { MoveService } from './move-service';
import type { RelocateRoot } from './root-record';

/** What the engine gives the move handlers beyond its services. */
export interface MoveHost {
  /** Tend's record of the root follows a move (today: root-record.ts's relocateRootRecord). */
  readonly relocateRoot: RelocateRoot;
  /** Opens the data folder at its new place once a move (or move back) job has ended. */
  readonly reopen: (root: string) => Promise<void>;
  /** Refuses a folder that can never be a data folder (root admission). */
  readonly refuseRoot: (folder: string) => Promise<void>;
}

/** The handlers of the move channels: each a thin call into the open root's MoveService. */
export function moveHandlers(
  engine: EngineServices,
  host: MoveHost,
): HandlersFor<typeof moveChannels> {
  const service = () =>
    new MoveService(engine.requireSession(), {
      place: movePlaceIn(engine.appStateDir),
      relocateRoot: host.relocateRoot,
      probes: { refuseRoot: host.refuseRoot },
    });
  /** Once the job has ended, the engine follows the folder to where it is now. */
  const follow = (jobId: string, where: 'to' | 'from') => {
    const session = engine.requireSession();
    void session.jobs.wait(jobId).then(async (record) => {
      if (record.state !== 'succeeded') return;
      const report = MoveReportSchema.safeParse(record.result);
      if (report.success) await host.reopen(report.data.record[where]).catch(() => undefined);
    });
  };
  return {
    'move:plan': async ({ target }) => service().plan(target),
    'move:apply': async ({ target }) => {
      const job = await service().apply(target);
      follow(job.id, 'to');
      return job;
    },
    'move:status': async () => service().status(),
    'move:back': async () => {
      const job = await service().back();
      follow(job.id, 'from');
      return job;
    },
    'move:forget-old': async () => service().forgetOld(),
  };
}
