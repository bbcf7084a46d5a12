import { TendFailure } from '../../../src-shared/tend-failure';

/**
 * The OS keyring as the CLI uses it for repository passphrases (issue 12): macOS Keychain,
 * Windows Credential Manager, the Secret Service on Linux (GNOME Keyring, KWallet), through
 * `@napi-rs/keyring`. The native module is loaded only when a command asks for the keyring, so
 * no other command's start-up pays for it. A passphrase is kept under the repository's id (from
 * its config), not its address: a disk mounted elsewhere or a renamed bucket keeps it.
 */

/** The keyring service every Tend entry is kept under. */
export const KEYRING_SERVICE = 'Tend';

/** One kept entry: its account name and its secret. */
export interface KeyringEntry {
  readonly account: string;
  readonly password: string;
}

/** The keyring operations Tend needs; tests fill it in at this seam. */
export interface Keyring {
  get(account: string): Promise<string | null>;
  set(account: string, password: string): Promise<void>;
  /** True when an entry was there and is gone. */
  delete(account: string): Promise<boolean>;
  /** Every entry of Tend's service. */
  list(): Promise<KeyringEntry[]>;
}

/** The account a repository's passphrase is kept under. */
export function keyringAccount(repositoryId: string): string {
  return `repository:${repositoryId}`;
}

/** The repository id of an account name, or null for another kind of entry. */
export function repositoryIdOfAccount(account: string): string | null {
  const match = /^repository:([0-9a-f]{64})$/.exec(account);
  return match ? match[1]! : null;
}

/** KEYRING_UNAVAILABLE: no keyring service answers here, with the other two ways to give one. */
export function keyringUnavailable(reason: string): TendFailure {
  return new TendFailure(
    'KEYRING_UNAVAILABLE',
    `The OS keyring cannot be used here (${reason}). Give the passphrase another way: set TEND_PASSWORD, or --password-file FILE (its first line). On Linux the keyring is the Secret Service (GNOME Keyring or KWallet) of a desktop session.`,
    { reason },
  );
}

/** The message of anything a native call threw. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a keyring call; its failure is KEYRING_UNAVAILABLE naming the other ways. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TendFailure) throw error;
    throw keyringUnavailable(reasonOf(error));
  }
}

/**
 * Opens the OS keyring: loads the native module and asks the keyring service once;
 * KEYRING_UNAVAILABLE when either fails.
 */
export async function openOsKeyring(service: string = KEYRING_SERVICE): Promise<Keyring> {
  const native = await guarded(() => import('@napi-rs/keyring'));
  const entry = (account: string) => new native.AsyncEntry(service, account);
  // Asked once now, so a missing service fails before a command writes anything.
  await guarded(() => native.findCredentialsAsync(service));
  return {
    get: (account) => guarded(() => entry(account).getPassword()),
    set: (account, password) => guarded(() => entry(account).setPassword(password)),
    delete: (account) => guarded(() => entry(account).deletePassword()),
    list: () =>
      guarded(async () =>
        (await native.findCredentialsAsync(service)).map(({ account, password }) => ({
          account,
          password,
        })),
      ),
  };
}

/** The OS keyring, or null where no keyring service answers (a server, CI). */
export async function osKeyringOrNone(): Promise<Keyring | null> {
  try {
    return await openOsKeyring();
  } catch (error) {
    if (error instanceof TendFailure && error.code === 'KEYRING_UNAVAILABLE') return null;
    throw error;
  }
}
