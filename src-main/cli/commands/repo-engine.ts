/**
 * The repository engine as the `tend repo` verbs use it, loaded when one of them runs
 * (`repoEngine()` in repo-access.ts): the repository pulls in libsodium, zstd and the crypto, which every other
 * command's start-up would otherwise pay for.
 */
export { defaultAppStateDir } from '../../engine/app-state';
export { isWithin } from '../../engine/root/confine';
export {
  formatDestinationAddress,
  parseDestinationAddress,
} from '../../engine/repository/destination-address';
export { addressOfDestination } from '../../engine/repository/repository-destination';
export { renameDurablySync, syncFileSync } from '../../engine/fs/durable';
export * as flagSchemas from '../../../src-shared/models/repository-flags';
export { nanosToDate } from '../../engine/repository/go-time';
export { planSnapshotRetention, snapshotKind } from '../../engine/repository/snapshot-retention';
export { HostKeyPins } from '../../engine/repository/host-key-pins';
export { openDestination } from '../../engine/repository/open-destination';
export { Repository } from '../../engine/repository/repository';
// The keyring's native module loads only when openOsKeyring is called (--password-keyring).
export { openOsKeyring, osKeyringOrNone } from '../../engine/repository/os-keyring';
export {
  forgetPassphrase,
  openWithKeyring,
  rememberPassphrase,
  removeKeyWithItsPassphrase,
} from '../../engine/repository/keyring-passphrase';
// One home for the generator and its warning: the app's repository:init uses them too.
export {
  generatePassphrase,
  LOST_PASSPHRASE_WARNING,
  passphraseFileLine,
} from '../../engine/repository/passphrase';
export { forgetSnapshots, pruneRepository } from '../../engine/repository/repository-prune';
export { verifyRepository } from '../../engine/repository/repository-verify';
export { backupSnapshot } from '../../engine/repository/snapshot-backup';
export { exportSnapshotTar } from '../../engine/repository/snapshot-export';
export { listSnapshots } from '../../engine/repository/snapshot-reader';
export { restoreSnapshot } from '../../engine/repository/snapshot-restore';
