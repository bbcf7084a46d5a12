import { describe, expect, it } from 'vitest';
import {
  formatDestinationAddress,
  parseDestinationAddress,
} from '../../../../src-main/engine/repository/destination-address';

const parse = (text: string) => parseDestinationAddress(text, '/home/ann', () => 'ann');

describe('parseDestinationAddress', () => {
  it.each([
    ['/media/usb/tend', { kind: 'local', path: '/media/usb/tend' }],
    ['backups/tend', { kind: 'local', path: '/home/ann/backups/tend' }],
    ['local:/media/usb/tend', { kind: 'local', path: '/media/usb/tend' }],
    [
      'sftp:bob@nas.lan:/srv/tend',
      { kind: 'sftp', username: 'bob', host: 'nas.lan', port: 22, path: '/srv/tend' },
    ],
    [
      'sftp:nas.lan:tend',
      { kind: 'sftp', username: 'ann', host: 'nas.lan', port: 22, path: 'tend' },
    ],
    [
      'sftp://bob@127.0.0.1:2222//srv/tend',
      { kind: 'sftp', username: 'bob', host: '127.0.0.1', port: 2222, path: '/srv/tend' },
    ],
    [
      'sftp://bob@127.0.0.1:2222/tend',
      { kind: 'sftp', username: 'bob', host: '127.0.0.1', port: 2222, path: 'tend' },
    ],
    [
      's3:http://127.0.0.1:9000/bucket/a/b',
      { kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'bucket', prefix: 'a/b' },
    ],
    [
      's3:s3.amazonaws.com/bucket',
      { kind: 's3', endpoint: 'https://s3.amazonaws.com', bucket: 'bucket', prefix: '' },
    ],
  ])('%s', (text, expected) => {
    const address = parse(text);
    expect(address).toEqual(expected);
    // What Tend prints reads back as the same place.
    expect(parse(formatDestinationAddress(address))).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['sftp:bob@nas.lan', /sftp:user@host:\/path/],
    ['s3:http://127.0.0.1:9000/', /no bucket/],
    ['s3:http://key:secret@127.0.0.1:9000/b', /AWS_ACCESS_KEY_ID/],
    ['rest:http://host/', /folder, SFTP or S3/],
    ['b2:bucket:path', /folder, SFTP or S3/],
  ])('refuses %j with a reason', (text, why) => {
    expect(() => parse(text)).toThrow(why);
    try {
      parse(text);
    } catch (error) {
      expect((error as { code: string }).code).toBe('INVALID_INPUT');
    }
  });
});
