import type { InputOf } from '../../../src-shared/contract';
import type {
  RepositoryDestination,
  RepositoryDestinationKind,
} from '../../../src-shared/models/repository';

/** The Encrypted backups form as typed: every kind's fields, text only. */
export interface RepositoryForm {
  kind: RepositoryDestinationKind;
  folder: string;
  host: string;
  port: string;
  username: string;
  path: string;
  identityFile: string;
  endpoint: string;
  bucket: string;
  prefix: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The form over a destination in settings (or an empty folder form when there is none). */
export function repositoryFormFrom(destination: RepositoryDestination | null): RepositoryForm {
  const form: RepositoryForm = {
    kind: destination?.kind ?? 'local',
    folder: '',
    host: '',
    port: '22',
    username: '',
    path: '',
    identityFile: '',
    endpoint: '',
    bucket: '',
    prefix: 'tend',
    region: '',
    accessKeyId: '',
    secretAccessKey: '',
  };
  switch (destination?.kind) {
    case 'local':
      return { ...form, folder: destination.folder };
    case 'sftp':
      return {
        ...form,
        host: destination.host,
        port: String(destination.port),
        username: destination.username,
        path: destination.path,
        identityFile: destination.identityFile ?? '',
      };
    case 's3':
      return {
        ...form,
        endpoint: destination.endpoint,
        bucket: destination.bucket,
        prefix: destination.prefix,
        region: destination.region ?? '',
      };
    default:
      return form;
  }
}

/**
 * What the form sends to `repository:test` and `repository:set`: the destination of its kind
 * (checked by the engine, whose messages name the field) and S3 keys when both are typed.
 * `folderRef` is the picker's handle on the desktop, else the typed folder.
 */
export function destinationFromForm(
  form: RepositoryForm,
  folderRef: string = form.folder,
): InputOf<'repository:test'> {
  switch (form.kind) {
    case 'local':
      return { destination: { kind: 'local', folder: folderRef.trim() } };
    case 'sftp':
      return {
        destination: {
          kind: 'sftp',
          host: form.host,
          port: Number(form.port.trim() || '22'),
          username: form.username,
          path: form.path,
          identityFile: form.identityFile.trim() || null,
        },
      };
    case 's3': {
      const keys =
        form.accessKeyId.trim() && form.secretAccessKey.trim()
          ? { s3Keys: { accessKeyId: form.accessKeyId, secretAccessKey: form.secretAccessKey } }
          : {};
      return {
        destination: {
          kind: 's3',
          endpoint: form.endpoint,
          bucket: form.bucket,
          prefix: form.prefix,
          region: form.region.trim() || null,
        },
        ...keys,
      };
    }
  }
}
