import { describe, expect, it } from 'vitest';
import { RepositoryDestinationSchema } from '../../../src-shared/models/repository';
import type { RepositoryDestination } from '../../../src-shared/models/repository';
import {
  destinationFromForm,
  repositoryFormFrom,
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
});
