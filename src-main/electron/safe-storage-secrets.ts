import fs from 'node:fs';
import path from 'node:path';
import type { SecretDurability, SecretStore } from '../engine/repository/repository-secrets';

/** What of Electron's `safeStorage` the store uses (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keyring, a key built into Chromium: no protection. */
  getSelectedStorageBackend?(): string;
}

/** Whether safeStorage protects what it encrypts with a key of the OS's keychain. */
export function keychainAvailable(storage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!storage.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = storage.getSelectedStorageBackend?.() ?? 'unknown';
  return backend !== 'basic_text' && backend !== 'unknown';
}

/**
 * The desktop's secret store (issue 12): repository passphrases and S3 keys encrypted by the
 * OS keychain through Electron's safeStorage, in one file of Tend's app-state folder (mode
 * 0600) that holds ciphertext only. Where there is no keychain (a Linux desktop without one:
 * safeStorage's `basic_text`), secrets stay in memory for this run and Settings says so,
 * rather than being written under a key everyone knows.
 */
export class SafeStorageSecrets implements SecretStore {
  readonly durability: SecretDurability;
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly storage: SafeStorageLike,
    private readonly file: string,
    platform: NodeJS.Platform = process.platform,
  ) {
    this.durability = keychainAvailable(storage, platform) ? 'keychain' : 'memory';
  }

  /** The store in an app-state folder. */
  static inStateDir(storage: SafeStorageLike, stateDir: string): SafeStorageSecrets {
    return new SafeStorageSecrets(storage, path.join(stateDir, 'repository-secrets.json'));
  }

  async get(name: string): Promise<string | null> {
    if (this.durability === 'memory') return this.memory.get(name) ?? null;
    const sealed = this.read()[name];
    if (sealed === undefined) return null;
    try {
      return this.storage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      // Sealed by another user or keychain: unknown here, asked for again.
      return null;
    }
  }

  async set(name: string, value: string): Promise<void> {
    if (this.durability === 'memory') {
      this.memory.set(name, value);
      return;
    }
    const sealed = this.storage.encryptString(value).toString('base64');
    this.write({ ...this.read(), [name]: sealed });
  }

  async delete(name: string): Promise<void> {
    this.memory.delete(name);
    if (this.durability === 'memory') return;
    const values = this.read();
    delete values[name];
    this.write(values);
  }

  private read(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(
        Object.entries(parsed).filter((entry): entry is [string, string] => {
          return typeof entry[1] === 'string';
        }),
      );
    } catch {
      return {};
    }
  }

  private write(values: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }
}
