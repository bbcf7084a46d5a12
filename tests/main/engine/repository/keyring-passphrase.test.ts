import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  forgetPassphrase,
  openWithKeyring,
  rememberPassphrase,
  removeKeyWithItsPassphrase,
} from '../../../../src-main/engine/repository/keyring-passphrase';
import { LocalBackend } from '../../../../src-main/engine/repository/local-backend';
import {
  keyringAccount,
  keyringUnavailable,
  repositoryIdOfAccount,
} from '../../../../src-main/engine/repository/os-keyring';
import { tempDir } from '../../../support/temp-dir';
import { MemoryKeyring } from './memory-keyring';
import { FAST_KDF, newRepository, PASSWORD } from './repository-fixtures';

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

describe('removing a key and the passphrase remembered for it', () => {
  const OTHER = 'the passphrase of the other key';
  it.each([
    // remembered passphrase, the key removed → entry forgotten, entry left
    ['the removed key’s', OTHER, 'other', true, OTHER],
    ['the key in use’s', PASSWORD, 'other', false, PASSWORD],
    ['one no key opens', 'opens nothing', 'other', false, 'opens nothing'],
  ] as const)(
    'a remembered passphrase of %s, and the other key removed',
    async (_name, remembered, _removed, forgotten, left) => {
      const repository = await newRepository(path.join(tempDir(), 'repo'));
      const other = await repository.addKey(OTHER, FAST_KDF);
      const keyring = new MemoryKeyring();
      const account = keyringAccount(repository.config.id);
      keyring.entries.set(account, remembered);
      keyring.entries.set(keyringAccount('cd'.repeat(32)), OTHER);

      expect(await removeKeyWithItsPassphrase(repository, other, keyring)).toBe(forgotten);
      expect((await repository.listKeys()).map((key) => key.id)).not.toContain(other);
      expect(keyring.entries.get(account) ?? null).toBe(forgotten ? null : left);
      // Another repository's entry is never touched.
      expect(keyring.entries.get(keyringAccount('cd'.repeat(32)))).toBe(OTHER);
    },
  );

  it('keeps a remembered passphrase that another key left still opens', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const first = await repository.addKey('shared', FAST_KDF);
    await repository.addKey('shared', FAST_KDF);
    const keyring = new MemoryKeyring();
    keyring.entries.set(keyringAccount(repository.config.id), 'shared');
    expect(await removeKeyWithItsPassphrase(repository, first, keyring)).toBe(false);
    expect(keyring.entries.get(keyringAccount(repository.config.id))).toBe('shared');
  });

  it('removes the key where there is no keyring', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const other = await repository.addKey(OTHER, FAST_KDF);
    expect(await removeKeyWithItsPassphrase(repository, other, null)).toBe(false);
    expect(await repository.listKeys()).toHaveLength(1);
  });
});
