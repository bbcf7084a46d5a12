import type { EventBus } from './events';
import type { SecretStore } from './repository/repository-secrets';
import type { RootSession } from './root-session';
import type { PowerSource } from './schedule/power-state';

/**
 * What a domain's handlers need of the engine.
 *
 * Note: an interface rather than the Engine class, so domain modules never import engine.ts,
 * which imports them all.
 */
export interface EngineServices {
  readonly events: EventBus;
  /** Where Tend keeps what it remembers across roots. */
  readonly appStateDir: string;
  /** The open root, or a NO_ROOT failure. */
  requireSession(): RootSession;
  /** Whether the machine runs on battery (scheduled backups wait on a low one); OS default. */
  readonly power?: PowerSource;
  /** Where repository passphrases and S3 keys are kept (the desktop's keychain); else memory. */
  readonly secrets?: SecretStore;
}
