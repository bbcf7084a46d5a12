import { describe, expect, it } from 'vitest';
import { RepositoryDestinationSchema } from '../../../src-shared/models/repository';
import type { RepositoryDestination } from '../../../src-shared/models/repository';
import {
  checkRepositoryForm,
  destinationFromForm,
  repositoryFormFrom,
  type RepositoryForm,
  type RepositoryFormIssues,
} from '../../../src-renderer/src/lib/repository-form';

describe('repository form', () => {
  it.each<RepositoryDestination>([
    { kind: 'local', folder: '/media/usb/tend' },
    { kind: 'sftp', host: 'nas', port: 2222, username: 'me', path: 'tend', identityFile: '/k' },
    { kind: 'sftp', host: 'nas', port: 22, username: 'me', path: '/srv', identityFile: null },
    { kind: 's3', endpoint: 'https://s3.example.com', bucket: 'b', prefix: 'p', region: null },
    { kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'b', prefix: '', region: 'eu' },
  ])('a saved $kind destination comes back from its form unchanged', (destination) => {
    const sent = destinationFromForm(repositoryFormFrom(destination));
    expect(RepositoryDestinationSchema.parse(sent.destination)).toEqual(destination);
    expect(sent).not.toHaveProperty('s3Keys');
  });

  it('sends S3 keys only when both are typed', () => {
    const form = { ...repositoryFormFrom(null), kind: 's3' as const, endpoint: 'https://h' };
    expect(destinationFromForm({ ...form, accessKeyId: 'id' })).not.toHaveProperty('s3Keys');
    expect(destinationFromForm({ ...form, accessKeyId: 'id', secretAccessKey: 's' })).toMatchObject(
      { s3Keys: { accessKeyId: 'id', secretAccessKey: 's' } },
    );
  });

  it('sends an SFTP password only when one is typed', () => {
    const form = { ...repositoryFormFrom(null), kind: 'sftp' as const, host: 'nas' };
    expect(destinationFromForm(form)).not.toHaveProperty('sftpPassword');
    expect(destinationFromForm({ ...form, password: ' secret ' })).toMatchObject({
      sftpPassword: ' secret ',
    });
    expect(
      destinationFromForm({ ...form, kind: 's3', password: 'secret', endpoint: 'https://h' }),
    ).not.toHaveProperty('sftpPassword');
  });

  it("sends the picker's handle for a folder when there is one", () => {
    const form = { ...repositoryFormFrom(null), folder: '/media/usb' };
    expect(destinationFromForm(form, 'tend-picked:abc').destination).toEqual({
      kind: 'local',
      folder: 'tend-picked:abc',
    });
  });

  it('starts as an empty folder form when encrypted backups are off', () => {
    expect(repositoryFormFrom(null)).toMatchObject({ kind: 'local', folder: '', port: '22' });
  });

  const sftp: RepositoryForm = {
    ...repositoryFormFrom(null),
    kind: 'sftp',
    host: 'nas',
    port: '2222',
    username: 'me',
    path: 'tend',
    identityFile: '/home/me/.ssh/id_ed25519',
  };
  const s3: RepositoryForm = {
    ...repositoryFormFrom(null),
    kind: 's3',
    endpoint: 'http://127.0.0.1:9000',
    bucket: 'tend',
    prefix: 'backups',
  };

  it.each<[string, RepositoryForm, RepositoryFormIssues]>([
    ['an empty folder', repositoryFormFrom(null), { folder: expect.stringMatching(/folder/) }],
    [
      'an SFTP port that is not a number',
      { ...sftp, port: '22a' },
      { port: expect.stringMatching(/port number/) },
    ],
    [
      'an SFTP port out of range',
      { ...sftp, port: '70000' },
      { port: 'Type a port from 1 to 65535' },
    ],
    [
      'an SFTP form without server and user',
      { ...sftp, host: ' ', username: '' },
      { host: 'Type the server name', username: 'Type the user name on the server' },
    ],
    [
      'an SFTP form without a folder',
      { ...sftp, path: '' },
      { path: 'Type the folder on the server' },
    ],
    [
      'an S3 server without http(s)://',
      { ...s3, endpoint: 's3.example.com' },
      { endpoint: expect.stringMatching(/https:\/\/host/) },
    ],
    ['an S3 form without a bucket', { ...s3, bucket: '' }, { bucket: 'Type the bucket' }],
    [
      'an access key id without its secret',
      { ...s3, accessKeyId: 'AKIA' },
      { secretAccessKey: expect.stringMatching(/secret access key/) },
    ],
    [
      'a secret without its access key id',
      { ...s3, secretAccessKey: 'x' },
      { accessKeyId: expect.stringMatching(/access key id/) },
    ],
  ])('puts the message for %s under its field, and sends nothing', (_, form, issues) => {
    const check = checkRepositoryForm(form);
    expect(check.ok).toBe(false);
    expect(check.ok ? null : check.issues).toEqual(issues);
  });

  it.each<[string, RepositoryForm]>([
    ['an SFTP form', sftp],
    [
      'an SFTP form on ssh-agent (no key file), port left empty',
      { ...sftp, identityFile: '', port: '' },
    ],
    ['an S3 form with both keys', { ...s3, accessKeyId: 'AKIA', secretAccessKey: 'x' }],
    ['an S3 form whose keys are kept already (none typed)', s3],
  ])('sends %s as destinationFromForm makes it', (_, form) => {
    expect(checkRepositoryForm(form)).toEqual({ ok: true, input: destinationFromForm(form) });
  });
});
