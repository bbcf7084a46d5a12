/**
 * Tend's restic-compatible backup repository (issue 12, parts 1 and 2).
 *
 * Tend writes repositories in restic's documented format (restic doc/design.rst, repository
 * version 2: AES-256-CTR + Poly1305-AES, scrypt key files, zstd-compressed blobs, JSON trees),
 * so `restic -r <folder> check --read-data | ls | restore | mount` work on every Tend backup,
 * and Tend reads repositories restic wrote.
 *
 * Public API, for wiring into the backup service, schedules, Settings and the restore wizard:
 *
 *   const backend = openDestination(parseDestinationAddress('sftp:me@nas:/srv/tend'), {
 *     env: process.env, identityFile, hostKeys: HostKeyPins.inStateDir(stateDir) });
 *   //   or directly: new LocalBackend('/media/usb/tend'), or:
 *   //   new SftpBackend({ host, port, username, path, privateKey | password,
 *   //                     hostKey: pinned ?? null, onHostKeyPinned: (fp) => keep(fp) })
 *   //   new S3Backend({ endpoint, region, bucket, prefix, accessKeyId, secretAccessKey })
 *   await checkDestination(backend, { onStep })   // reach, write, read back, delete, free space
 *   const repo = await Repository.init(backend, passphrase);       // or Repository.open(...)
 *   //   a wrong passphrase: TendFailure REPOSITORY_WRONG_PASSPHRASE, nothing written
 *   await repo.addKey(other) / repo.listKeys() / repo.removeKey(id)
 *
 *   const result = await backupSnapshot(repo, {
 *     root, select, tags: ['kind:critical'], stagingDir: '<root>/.tend/staging',
 *     expected: { files, bytes }, onProgress, signal, programVersion: `tend ${version}`,
 *   });                                    // → snapshotId, files new/changed/unchanged, bytes stored
 *   await listSnapshots(repo)               // newest first; SnapshotEntry has id, time (ns), tags, paths
 *   await restoreSnapshot(repo, id | 'latest', { target, path?, onProgress, signal })
 *   await verifyRepository(repo, { mode: 'quick' | 'full' })   // damaged: snapshot + files
 *   await forgetSnapshots(repo, keepIds)    // keep-list from planSnapshotRetention (GFS)
 *   await pruneRepository(repo, { maxUnusedShare: 0.05 })
 *   await exportSnapshotTar(repo, id, writable)                 // .tar.gz that GNU tar opens
 *
 * Every long call takes an AbortSignal and a progress callback, holds restic's repository
 * lock (shared, or exclusive for forget and prune) and fails with a TendFailure whose code is
 * stable (REPOSITORY_WRONG_PASSPHRASE, REPOSITORY_NOT_FOUND, REPOSITORY_EXISTS,
 * DESTINATION_LOGIN_REFUSED, DESTINATION_HOST_KEY_CHANGED with `pinned` and `seen`,
 * DATA_LOCKED, NO_SPACE, DESTINATION_UNAVAILABLE ('unreachable', 'no-bucket',
 * 'storage-failed'), BACKUP_CORRUPT, BACKUP_NOT_FOUND, RESTORE_TARGET_NOT_EMPTY (a file or a
 * folder not empty), PATH_PARENT_MISSING (a restore target's folder is not there), CANCELLED)
 * and whose `details.reason` names the case; NO_SPACE carries
 * `neededBytes`, `freeBytes` and, on S3, `usedBytes`. Call `backend.close()` when done with
 * an SFTP or S3 backend.
 */

export type { Backend, FileHandle, FileType, StoredFile, ByteRange } from './backend';
export { MissingFileError } from './backend';
export { LocalBackend } from './local-backend';
export { SftpBackend, type SftpOptions } from './sftp-backend';
export { S3Backend, type S3Options } from './s3-backend';
export { DEFAULT_RETRY, type RetryPolicy } from './backend-retry';
export { hostKeyFingerprint } from './sftp-host-key';
export {
  parseDestinationAddress,
  formatDestinationAddress,
  type DestinationAddress,
} from './destination-address';
export { openDestination, type DestinationAccess } from './open-destination';
export { HostKeyPins } from './host-key-pins';
export { planSnapshotRetention, snapshotKind } from './snapshot-retention';
export {
  checkDestination,
  DESTINATION_STEPS,
  type DestinationCheck,
  type DestinationStep,
  type DestinationStepName,
} from './destination-check';
export { Repository, type InitOptions, type RepositoryKeyInfo } from './repository';
export { DEFAULT_SCRYPT, type ScryptParams } from './key-file';
export {
  backupSnapshot,
  TEND_TAG,
  type BackupOptions,
  type BackupProgress,
  type BackupResult,
} from './snapshot-backup';
export { listSnapshots, findSnapshot, TreeReader, type SnapshotEntry } from './snapshot-reader';
export {
  restoreSnapshot,
  type RestoreOptions,
  type RestoreProgress,
  type RestoreResult,
} from './snapshot-restore';
export {
  verifyRepository,
  type VerifyResult,
  type VerifyProgress,
  type DamagedSnapshot,
} from './repository-verify';
export {
  forgetSnapshots,
  pruneRepository,
  type ForgetResult,
  type PruneOptions,
  type PruneResult,
} from './repository-prune';
export { exportSnapshotTar, type ExportResult } from './snapshot-export';
export { lockRepository, withLock, type HeldLock } from './repository-lock';
export type { TreeNode } from './tree-node';
export type { ResticId } from './restic-id';
