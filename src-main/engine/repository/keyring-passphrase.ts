import { TendFailure } from '../../../src-shared/tend-failure';
import type { Backend } from './backend';
import { keyringAccount, repositoryIdOfAccount, type Keyring } from './os-keyring';
import { Repository } from './repository';

/**
 * A repository's passphrase in the OS keyring (issue 12): remembered under the repository's id,
 * read back to open it, forgotten. Opening needs the passphrase before the (encrypted) config
 * and its id can be read, so the passphrases Tend remembered are tried in turn, the way restic
 * tries each key file; a passphrase that opens none of the keys is skipped.
 */

/** What `remember` and `forget` did. */
export interface KeyringChange {
  readonly repositoryId: string;
  readonly account: string;
  /** remember: an entry for this repository was there before (it is replaced). forget: one was removed. */
  readonly existed: boolean;
}

/** Opens the repository with a passphrase remembered in the keyring. */
export async function openWithKeyring(backend: Backend, keyring: Keyring): Promise<Repository> {
  const remembered = (await keyring.list()).filter((e) => repositoryIdOfAccount(e.account));
  for (const entry of remembered) {
    try {
      return await Repository.open(backend, entry.password);
    } catch (error) {
      if (error instanceof TendFailure && error.code === 'REPOSITORY_WRONG_PASSPHRASE') continue;
      throw error;
    }
  }
  throw new TendFailure(
    'REPOSITORY_PASSWORD_MISSING',
    remembered.length === 0
      ? `The OS keyring holds no repository passphrase of Tend. Remember this one with "tend repo key remember --to ${backend.location}" (the passphrase from TEND_PASSWORD or --password-file), or give it that way now.`
      : `None of the ${remembered.length} passphrases Tend remembered in the OS keyring opens the repository at ${backend.location}. Give its passphrase with TEND_PASSWORD or --password-file (and "tend repo key remember" to keep it).`,
    { location: backend.location, remembered: remembered.length },
  );
}

/** Keeps the passphrase that opened `repository` in the keyring, under the repository's id. */
export async function rememberPassphrase(
  keyring: Keyring,
  repository: Repository,
  passphrase: string,
): Promise<KeyringChange> {
  const account = keyringAccount(repository.config.id);
  const existed = (await keyring.get(account)) !== null;
  await keyring.set(account, passphrase);
  return { repositoryId: repository.config.id, account, existed };
}

/**
 * Removes a key of the repository, and with it the passphrase Tend remembered for this
 * repository in the OS keyring when that passphrase opened the removed key and opens no key
 * left: kept, it would open nothing, and `--password-keyring` would try it in vain. A
 * remembered passphrase of another key stays. Answers whether the keyring entry was forgotten.
 */
export async function removeKeyWithItsPassphrase(
  repository: Repository,
  id: string,
  keyring: Keyring | null,
): Promise<boolean> {
  const account = keyringAccount(repository.config.id);
  const remembered = keyring ? await keyring.get(account) : null;
  const opensRemoved = remembered !== null && (await repository.keyOpensWith(id, remembered));
  await repository.removeKey(id);
  if (!keyring || remembered === null || !opensRemoved) return false;
  for (const key of await repository.listKeys()) {
    if (await repository.keyOpensWith(key.id, remembered)) return false;
  }
  return keyring.delete(account);
}

/** Removes the repository's passphrase from the keyring (the repository is not changed). */
export async function forgetPassphrase(
  keyring: Keyring,
  repositoryId: string,
): Promise<KeyringChange> {
  const account = keyringAccount(repositoryId);
  return { repositoryId, account, existed: await keyring.delete(account) };
}
