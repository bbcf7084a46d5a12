import { describe, expect, it } from 'vitest';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { RepositoryKey, RepositoryStatus } from '../../../src-shared/models/repository';
import { failed, fakeClient, ok } from './fake-client';

const status: RepositoryStatus = {
  destination: { kind: 'local', folder: '/media/usb/tend' },
  location: '/media/usb/tend',
  passphraseKnown: true,
  passphraseKept: 'memory',
  s3KeysKnown: null,
  sftpPasswordKept: null,
};

const key = (id: string, current: boolean): RepositoryKey => ({
  id: id.repeat(64),
  current,
  username: 'ana',
  hostname: 'laptop',
  created: '2026-11-30T10:00:00.000Z',
});

describe('repository slice: keys', () => {
  it('lists the keys, reads them again after a key is added and after another passphrase unlocks', async () => {
    let keys = [key('a', true)];
    const fake = fakeClient({
      'repository:keys': () => ok({ keys }),
      'repository:key-add': () => {
        keys = [...keys, key('b', false)];
        return ok({ id: 'b'.repeat(64), generatedPassphrase: null, recoverySheet: 'sheet' });
      },
      'repository:unlock': () => {
        keys = [key('a', false), key('b', true)];
        return ok(status);
      },
    });
    const store = createTendStore(fake.client);
    await store.getState().loadRepositoryKeys();
    expect(store.getState().repositoryKeys).toEqual({ status: 'ready', value: [key('a', true)] });

    const added = await store.getState().addRepositoryKey('a new passphrase');
    expect(added.ok).toBe(true);
    expect(fake.callsTo('repository:key-add')[0]!.input).toEqual({
      passphrase: 'a new passphrase',
    });
    expect(store.getState().repositoryKeys).toMatchObject({ value: { length: 2 } });

    // The app now opens the repository with the new key: which key is current changed.
    await store.getState().unlockRepository('a new passphrase');
    expect(store.getState().repositoryKeys).toEqual({
      status: 'ready',
      value: [key('a', false), key('b', true)],
    });
    expect(store.getState().repositoryStatus).toEqual({ status: 'ready', value: status });
  });

  it('a removal answers the keys left; a refusal passes back as it is and keeps the list', async () => {
    const fake = fakeClient({
      'repository:keys': () => ok({ keys: [key('a', false), key('b', true)] }),
      'repository:key-remove': ({ id }) =>
        id.startsWith('b')
          ? failed(
              'INVALID_INPUT',
              'The key in use cannot be removed; open the repository with another passphrase first.',
            )
          : ok({ keys: [key('b', true)], keyringForgotten: false }),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadRepositoryKeys();

    const refused = await store.getState().removeRepositoryKey('b'.repeat(64));
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(store.getState().repositoryKeys).toMatchObject({ value: { length: 2 } });

    const removed = await store.getState().removeRepositoryKey('a'.repeat(64));
    expect(removed.ok).toBe(true);
    expect(store.getState().repositoryKeys).toEqual({ status: 'ready', value: [key('b', true)] });
  });

  it('a key list that cannot be read is an error with its code', async () => {
    const store = createTendStore(
      fakeClient({
        'repository:keys': () =>
          failed('REPOSITORY_PASSWORD_MISSING', 'Tend does not know the passphrase.'),
      }).client,
    );
    await store.getState().loadRepositoryKeys();
    expect(store.getState().repositoryKeys).toMatchObject({
      status: 'error',
      error: { code: 'REPOSITORY_PASSWORD_MISSING' },
    });
  });
});
