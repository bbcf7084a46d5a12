import type { profileChannels } from '../../../src-shared/channels/profiles';
import { TendFailure } from '../../../src-shared/errors';
import type { FolderFindings } from '../../../src-shared/models/root';
import type { ProfileDetection } from '../../../src-shared/models/profiles';
import type { HandlersFor } from '../dispatch';
import type { EngineServices } from '../engine-services';
import { restoreServiceFor } from '../restore/restore-service';
import { surveyFolder } from './folder-survey';
import { describeProfile, profileById, profiles } from './registry';
import { lastStoreCheck, startStoreCheckJob } from './store-check-job';

/** What the profile handlers need of the engine beyond its services: folder admission's eyes. */
export interface ProfileHandlerEngine extends EngineServices {
  /** root:inspect: what Tend finds in a folder, refusal included, without writing. */
  inspectRoot(candidate: string): Promise<FolderFindings>;
  /** profiles:detect: the profile of a folder by its markers alone. */
  detectProfile(candidate: string): Promise<ProfileDetection>;
}

/** The handlers of the profiles' channels. */
export function profileHandlers(engine: ProfileHandlerEngine): HandlersFor<typeof profileChannels> {
  return {
    'profiles:list': async () => ({ profiles: profiles.map(describeProfile) }),
    'profiles:detect': async ({ path: target }) => engine.detectProfile(target),
    'profiles:survey': async ({ path: target, profile }) => {
      // A profile id Tend does not know is PROFILE_UNKNOWN before the folder is read.
      const chosen = profile === undefined ? null : profileById(profile);
      const findings = await engine.inspectRoot(target);
      if (findings.refusal !== null) {
        throw new TendFailure('ROOT_NOT_ALLOWED', findings.refusal, { path: findings.path });
      }
      return surveyFolder(findings, chosen, profileById);
    },
    'profiles:check': async () => {
      const session = engine.requireSession();
      return startStoreCheckJob(session, () => restoreServiceFor(session, engine).locator.list());
    },
    'profiles:last-check': async () => lastStoreCheck(engine.requireSession()),
  };
}
