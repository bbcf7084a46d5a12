import type { InputOf } from '../../../src-shared/contract';
import {
  RepositoryDestinationSchema,
  type RepositoryDestination,
  type RepositoryDestinationKind,
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
  /** An SFTP login password, sent only when typed (then kept as a secret). */
  password: string;
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
    password: '',
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
 * (checked by the engine, whose messages name the field), S3 keys when both are typed, and an
 * SFTP password when one is typed.
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
        ...(form.password ? { sftpPassword: form.password } : {}),
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

/** A message under each field of the form that cannot be sent as typed. */
export type RepositoryFormIssues = Partial<Record<keyof RepositoryForm, string>>;

/** What checking the form gives: what to send, or a message per field. */
export type RepositoryFormCheck =
  | { readonly ok: true; readonly input: InputOf<'repository:test'> }
  | { readonly ok: false; readonly issues: RepositoryFormIssues };

/**
 * Checks the form with the engine's own schema before anything is sent, and places each
 * message under the field it is about (the engine's answer named the field only in a line of
 * text above the form). A port that is not a whole number, and one S3 key typed without the
 * other, are caught here too: the first was sent as null, the second silently dropped.
 */
export function checkRepositoryForm(
  form: RepositoryForm,
  folderRef: string = form.folder,
): RepositoryFormCheck {
  const issues: RepositoryFormIssues = {};
  const input = destinationFromForm(form, folderRef);
  const parsed = RepositoryDestinationSchema.safeParse(input.destination);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && field in form && field !== 'kind') {
        issues[field as keyof RepositoryForm] ??= issue.message;
      }
    }
  }
  if (form.kind === 'sftp' && form.port.trim() !== '' && !/^\d+$/.test(form.port.trim())) {
    issues.port = 'Type a port number from 1 to 65535';
  }
  if (form.kind === 's3') {
    const id = form.accessKeyId.trim() !== '';
    const secret = form.secretAccessKey.trim() !== '';
    if (id && !secret) issues.secretAccessKey = 'Type the secret access key that goes with the id';
    if (secret && !id) issues.accessKeyId = 'Type the access key id that goes with the secret';
  }
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, input };
}
