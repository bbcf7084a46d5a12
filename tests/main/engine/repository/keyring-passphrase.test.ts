import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  forgetPassphrase,
  openWithKeyring,
  rememberPassphrase,
} from '../../../../src-main/engine/repository/keyring-passphrase';
import { LocalBackend } from '../../../../src-main/engine/repository/local-backend';
import {
  keyringAccount,
  keyringUnavailable,
  repositoryIdOfAccount,
  type Keyring,
  type KeyringEntry,
} from '../../../../src-main/engine/repository/os-keyring';
import { tempDir } from '../../../support/temp-dir';
import { FAST_KDF, newRepository, PASSWORD } from './repository-fixtures';

/** A keyring in memory, at the seam the OS keyring fills in. */
class MemoryKeyring implements Keyring {
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

describe('keyring account names', () => {
  const id = 'ab'.repeat(32);
  it.each([
    [keyringAccount(id), id],
    ['repository:short', null],
    [`repository-passphrase:${id}`, null],
    ['something else', null],
  ])('%s is repository %s', (account, expected) =>
    expect(repositoryIdOfAccount(account)).toBe(expected),
  );

  it('an unavailable keyring names the other two ways', () => {
    const failure = keyringUnavailable('no D-Bus session');
    expect(failure.code).toBe('KEYRING_UNAVAILABLE');
    expect(failure.message).toContain('no D-Bus session');
    expect(failure.message).toContain('TEND_PASSWORD');
    expect(failure.message).toContain('--password-file');
  });
});

describe('a repository passphrase in the keyring', () => {
  it('remembers it under the repository id, opens with it past other entries, forgets it', async () => {
    const folder = path.join(tempDir(), 'repo');
    const repository = await newRepository(folder);
    const keyring = new MemoryKeyring();
    keyring.entries.set(keyringAccount('cd'.repeat(32)), 'the passphrase of another repository');
    keyring.entries.set('not-a-repository', PASSWORD);

    const change = await rememberPassphrase(keyring, repository, PASSWORD);
    expect(change).toEqual({
      repositoryId: repository.config.id,
      account: `repository:${repository.config.id}`,
      existed: false,
    });
    expect(keyring.entries.get(change.account)).toBe(PASSWORD);
    expect((await rememberPassphrase(keyring, repository, PASSWORD)).existed).toBe(true);

    const opened = await openWithKeyring(new LocalBackend(folder), keyring);
    expect(opened.config.id).toBe(repository.config.id);
    expect(opened.keyId).toBe(repository.keyId);

    expect((await forgetPassphrase(keyring, repository.config.id)).existed).toBe(true);
    expect((await forgetPassphrase(keyring, repository.config.id)).existed).toBe(false);
    expect(keyring.entries.has('not-a-repository')).toBe(true);
    await expect(openWithKeyring(new LocalBackend(folder), keyring)).rejects.toMatchObject({
      code: 'REPOSITORY_PASSWORD_MISSING',
      message: expect.stringContaining('None of the 1 passphrases'),
    });
  });

  it('opens with a second key after the passphrase was changed (add new, remember, remove old)', async () => {
    const folder = path.join(tempDir(), 'repo');
    const repository = await newRepository(folder);
    const newId = await repository.addKey('the new passphrase', FAST_KDF);
    const keyring = new MemoryKeyring();
    await rememberPassphrase(keyring, repository, 'the new passphrase');
    const reopened = await openWithKeyring(new LocalBackend(folder), keyring);
    expect(reopened.keyId).toBe(newId);
    await reopened.removeKey(repository.keyId);
    expect((await openWithKeyring(new LocalBackend(folder), keyring)).keyId).toBe(newId);
  });

  it('an empty keyring says how to remember one; a missing repository is still REPOSITORY_NOT_FOUND', async () => {
    const base = tempDir();
    const folder = path.join(base, 'repo');
    await newRepository(folder);
    await expect(
      openWithKeyring(new LocalBackend(folder), new MemoryKeyring()),
    ).rejects.toMatchObject({
      code: 'REPOSITORY_PASSWORD_MISSING',
      message: expect.stringContaining('tend repo key remember'),
    });
    const keyring = new MemoryKeyring();
    keyring.entries.set(keyringAccount('ef'.repeat(32)), PASSWORD);
    await expect(
      openWithKeyring(new LocalBackend(path.join(base, 'nowhere')), keyring),
    ).rejects.toMatchObject({ code: 'REPOSITORY_NOT_FOUND' });
  });
});
