import type { Keyring, KeyringEntry } from '../../../../src-main/engine/repository/os-keyring';

/** A keyring in memory, at the seam the OS keyring fills in. */
export class MemoryKeyring implements Keyring {
  readonly entries = new Map<string, string>();
  async get(account: string) {
    return this.entries.get(account) ?? null;
  }
  async set(account: string, password: string) {
    this.entries.set(account, password);
  }
  async delete(account: string) {
    return this.entries.delete(account);
  }
  async list(): Promise<KeyringEntry[]> {
    return [...this.entries].map(([account, password]) => ({ account, password }));
  }
}
