import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  keychainAvailable,
  SafeStorageSecrets,
  type SafeStorageLike,
} from '../../../src-main/electron/safe-storage-secrets';
import { tempDir } from '../../support/temp-dir';

/** A stand-in for Electron's safeStorage: reversible, and visibly not the plain text. */
function fakeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(`sealed:${[...text].reverse().join('')}`),
    decryptString: (sealed) => {
      const text = sealed.toString();
      if (!text.startsWith('sealed:')) throw new Error('not ours');
      return [...text.slice(7)].reverse().join('');
    },
  };
}

describe('keychainAvailable', () => {
  it.each([
    { available: false, backend: 'gnome_libsecret', platform: 'linux', expected: false },
    { available: true, backend: 'basic_text', platform: 'linux', expected: false },
    { available: true, backend: 'gnome_libsecret', platform: 'linux', expected: true },
    { available: true, backend: 'kwallet5', platform: 'linux', expected: true },
    { available: true, backend: 'unknown', platform: 'darwin', expected: true },
    { available: true, backend: 'unknown', platform: 'win32', expected: true },
  ] as const)('$platform, $backend, available $available → $expected', (row) => {
    expect(keychainAvailable(fakeStorage(row.available, row.backend), row.platform)).toBe(
      row.expected,
    );
  });
});

describe('SafeStorageSecrets', () => {
  it('keeps secrets sealed in a 0600 file, readable by a new store, and deletes them', async () => {
    const dir = tempDir();
    const store = SafeStorageSecrets.inStateDir(fakeStorage(true), dir);
    expect(store.durability).toBe('keychain');
    await store.set('repository-passphrase:/media/usb/tend', 'my secret words');
    const file = path.join(dir, 'repository-secrets.json');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('my secret words');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const again = SafeStorageSecrets.inStateDir(fakeStorage(true), dir);
    expect(await again.get('repository-passphrase:/media/usb/tend')).toBe('my secret words');
    await again.delete('repository-passphrase:/media/usb/tend');
    expect(await store.get('repository-passphrase:/media/usb/tend')).toBeNull();
  });

  it('keeps secrets in memory only where there is no keychain, writing nothing', async () => {
    const dir = tempDir();
    const store = new SafeStorageSecrets(
      fakeStorage(true, 'basic_text'),
      path.join(dir, 's.json'),
      'linux',
    );
    expect(store.durability).toBe('memory');
    await store.set('a', 'b');
    expect(await store.get('a')).toBe('b');
    expect(fs.existsSync(path.join(dir, 's.json'))).toBe(false);
  });

  it('answers null for a secret it cannot unseal (another keychain)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'repository-secrets.json'), JSON.stringify({ a: 'Zm9v' }));
    const store = SafeStorageSecrets.inStateDir(fakeStorage(true), dir);
    expect(await store.get('a')).toBeNull();
  });
});
