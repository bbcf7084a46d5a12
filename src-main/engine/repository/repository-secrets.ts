/**
 * Where a repository's secrets (its passphrase, S3 keys, an SFTP password) are kept: a port the engine calls and
 * each shell fills in. The desktop app keeps them in the OS keychain through Electron's
 * safeStorage (src-main/electron/safe-storage-secrets.ts); the web host and the CLI keep them
 * in memory for the life of the process only. Nothing here ever reaches settings or a log.
 */

/** How long a kept secret lives. */
export type SecretDurability = 'keychain' | 'memory';

/** A store of named secrets. */
export interface SecretStore {
  /** `keychain`: kept encrypted by the OS across runs; `memory`: gone when the process ends. */
  readonly durability: SecretDurability;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** Secrets kept in this process's memory only (the web host, the CLI, tests). */
export class MemorySecrets implements SecretStore {
  readonly durability = 'memory' as const;
  private readonly values = new Map<string, string>();

  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }

  async delete(name: string): Promise<void> {
    this.values.delete(name);
  }
}

/** The name a repository's passphrase is kept under: by its address, so it follows the place. */
export function passphraseSecret(location: string): string {
  return `repository-passphrase:${location}`;
}

/** The name an S3 repository's access keys are kept under. */
export function s3KeysSecret(location: string): string {
  return `repository-s3-keys:${location}`;
}

/** The name an SFTP repository's login password is kept under. */
export function sftpPasswordSecret(location: string): string {
  return `repository-sftp-password:${location}`;
}
