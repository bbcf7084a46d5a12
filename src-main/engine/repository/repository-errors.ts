import { TendFailure } from '../../../src-shared/errors';
import { formatBytes } from '../../../src-shared/language/bytes';

/**
 * The failures of the repository library, each a TendFailure with a stable code and a
 * `details.reason` that names the case precisely (a wrong passphrase, a repository that is
 * locked, a destination that filled up), so callers and the UI can act on it.
 */

/** The passphrase opens none of the repository's keys. */
export function wrongPassphrase(location: string): TendFailure {
  return new TendFailure(
    'REPOSITORY_WRONG_PASSPHRASE',
    `The passphrase does not open the backup repository at ${location}. Check it and try again; without a passphrase that opens one of its keys, the backups in it cannot be read.`,
    { reason: 'wrong-passphrase', location },
  );
}

/** The destination has no repository, or something that is not one. */
export function notARepository(location: string, why: string): TendFailure {
  return new TendFailure(
    'REPOSITORY_NOT_FOUND',
    `${location} is not a backup repository Tend can open (${why}). Check the address, or make one there with "tend repo init".`,
    { reason: 'not-a-repository', location },
  );
}

/** The repository's bytes do not match what they should be. */
export function corrupt(message: string, details?: Record<string, unknown>): TendFailure {
  return new TendFailure('BACKUP_CORRUPT', message, { reason: 'repository-corrupt', ...details });
}

/** The storage could not be reached or written. */
export function storageFailed(location: string, action: string, error: unknown): TendFailure {
  const code = (error as NodeJS.ErrnoException).code;
  return new TendFailure(
    'DESTINATION_UNAVAILABLE',
    `Could not ${action} at ${location} (${code ?? (error as Error).message ?? error}). Is the drive connected or the server reachable?`,
    { reason: 'storage-failed', location, errno: code },
  );
}

/** A local destination names a file, not a folder: the address is wrong, not the drive. */
export function destinationIsAFile(location: string): TendFailure {
  return new TendFailure(
    'INVALID_INPUT',
    `${location} is a file, not a folder: give the folder that holds the backup repository (or a new or empty folder for "tend repo init").`,
    { reason: 'destination-is-a-file', location },
  );
}

/** The storage is full; says how much was needed and how much was free. */
export function storageFull(
  location: string,
  neededBytes: number,
  freeBytes: number | null,
): TendFailure {
  const free = freeBytes === null ? 'an unknown amount' : formatBytes(freeBytes);
  return new TendFailure(
    'NO_SPACE',
    `The backup destination ${location} is full: writing ${formatBytes(neededBytes)} failed with ${free} free. Free some space or choose a larger destination; the repository is unchanged by the failed write.`,
    { reason: 'destination-full', location, neededBytes, freeBytes },
  );
}

/** Someone else holds the repository. */
export function repositoryLocked(location: string, holder: string): TendFailure {
  return new TendFailure(
    'DATA_LOCKED',
    `The backup repository at ${location} is in use by ${holder}. Try again when it has finished; a lock left by a process that died is cleared after 30 minutes, or at once on the same machine.`,
    { reason: 'repository-locked', location, holder },
  );
}

/** The work was cancelled. */
export function cancelled(): TendFailure {
  return new TendFailure(
    'CANCELLED',
    'Cancelled; the repository is unchanged by the part not finished.',
  );
}

/** Throws the cancel failure when a signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/** The destination refused the login (a wrong password, key or access key). */
export function credentialsRefused(location: string, detail: string): TendFailure {
  return new TendFailure(
    'DESTINATION_LOGIN_REFUSED',
    `${location} refused Tend's login (${detail}). Check the user name and the password, key or access key in the destination's settings.`,
    { reason: 'destination-credentials', location },
  );
}

/** The server answered with a host key other than the one pinned when it was first used. */
export function hostKeyChanged(location: string, pinned: string, seen: string): TendFailure {
  return new TendFailure(
    'DESTINATION_HOST_KEY_CHANGED',
    `The server at ${location} presented the host key ${seen}, not ${pinned} it had when Tend first connected. Someone may be between you and the server, or the server was reinstalled: check the key with the server's administrator; to trust the new key, remove the server's line from repository-host-keys.json in Tend's state folder and connect again. Nothing was sent.`,
    { reason: 'host-key-changed', location, pinned, seen },
  );
}

/** The destination cannot be reached at all (no route, refused, timed out, unknown host). */
export function unreachable(location: string, detail: string): TendFailure {
  return new TendFailure(
    'DESTINATION_UNAVAILABLE',
    `Could not reach ${location} (${detail}). Check the address and port, and that the server is running and reachable from this computer.`,
    { reason: 'unreachable', location },
  );
}

/** A repository is already at the destination (`init` refuses to make a second). */
export function repositoryExists(location: string): TendFailure {
  return new TendFailure(
    'REPOSITORY_EXISTS',
    `${location} already holds a backup repository; open it instead of making a new one.`,
    { reason: 'repository-exists', location },
  );
}
