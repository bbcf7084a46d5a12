import { describe, expect, it } from 'vitest';
import { generatePassphrase } from '../../../../src-main/engine/repository/passphrase';
import { recoverySheet } from '../../../../src-main/engine/repository/recovery-sheet';
import { addressOfDestination } from '../../../../src-main/engine/repository/repository-destination';
import { formatDestinationAddress } from '../../../../src-main/engine/repository/destination-address';
import type { RepositoryDestination } from '../../../../src-shared/models/repository';

const facts = {
  location: '/media/usb/tend',
  repositoryId: 'f00dcafe',
  createdAt: new Date('2026-11-30T16:00:00Z'),
  root: '/home/me/assistant',
};

describe('recoverySheet', () => {
  it('prints a generated passphrase, the warning and restic commands', () => {
    const sheet = recoverySheet({ ...facts, passphrase: 'abcd-efgh' });
    expect(sheet).toContain('Passphrase:     abcd-efgh');
    expect(sheet).toContain('A lost passphrase is lost backups');
    expect(sheet).toContain('restic -r /media/usb/tend restore latest --target ./restored');
    expect(sheet).toContain('2026-11-30 16:00 UTC');
    expect(sheet).not.toMatch(/\n\n\n/);
  });

  it('never prints a passphrase the person chose, and leaves a line to write it', () => {
    const sheet = recoverySheet({ ...facts, passphrase: null });
    expect(sheet).toContain('the one you chose');
    expect(sheet).toContain('Passphrase: ____');
  });

  it('quotes a location with spaces', () => {
    expect(recoverySheet({ ...facts, location: '/media/My Disk/t', passphrase: null })).toContain(
      'restic -r "/media/My Disk/t" snapshots',
    );
  });
});

describe('generatePassphrase', () => {
  it('is eight groups of four from an alphabet without look-alikes', () => {
    const fixed = generatePassphrase((size) => Buffer.alloc(size, 0));
    expect(fixed).toBe('aaaa-aaaa-aaaa-aaaa-aaaa-aaaa-aaaa-aaaa');
    expect(generatePassphrase()).toMatch(/^([a-km-np-z2-9]{4}-){7}[a-km-np-z2-9]{4}$/);
  });
});

describe('addressOfDestination', () => {
  it.each<[RepositoryDestination, string]>([
    [{ kind: 'local', folder: '/media/usb/tend' }, '/media/usb/tend'],
    [
      {
        kind: 'sftp',
        host: 'nas',
        port: 22,
        username: 'me',
        path: '/srv/tend',
        identityFile: null,
      },
      'sftp:me@nas:/srv/tend',
    ],
    [
      { kind: 'sftp', host: 'nas', port: 2222, username: 'me', path: '/srv/t', identityFile: null },
      'sftp://me@nas:2222//srv/t',
    ],
    [
      {
        kind: 's3',
        endpoint: 'https://s3.example.com/',
        bucket: 'b',
        prefix: '/tend/',
        region: null,
      },
      's3:https://s3.example.com/b/tend',
    ],
    [
      { kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'b', prefix: '', region: null },
      's3:http://127.0.0.1:9000/b',
    ],
  ])('%j → %s', (destination, location) => {
    expect(formatDestinationAddress(addressOfDestination(destination))).toBe(location);
  });
});
