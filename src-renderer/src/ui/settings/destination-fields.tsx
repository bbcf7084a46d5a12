import type { ReactNode } from 'react';
import type { RepositoryForm, RepositoryFormIssues } from '../../lib/repository-form';
import { FieldMessage } from '../common/field-message';

/** What one row of the destination form is. */
interface FieldRow {
  readonly name: keyof Omit<RepositoryForm, 'kind'>;
  readonly label: string;
  readonly hint: ReactNode;
  readonly type?: 'text' | 'password';
  readonly autoComplete?: string;
}

/** The rows of each remote kind, in the order a person fills them. */
const remoteRows = (
  s3KeysKnown: boolean,
  sftpPasswordKept: boolean,
): Record<'sftp' | 's3', ReadonlyArray<FieldRow>> => ({
  sftp: [
    { name: 'host', label: 'Server', hint: 'Its name or address.' },
    { name: 'port', label: 'Port', hint: 'Usually 22.' },
    { name: 'username', label: 'User name', hint: 'The login on the server.' },
    {
      name: 'path',
      label: 'Folder on the server',
      hint: 'Without a leading / it is under the login folder.',
    },
    {
      name: 'identityFile',
      label: 'SSH key file',
      hint: 'A private key file; left empty, ssh-agent’s keys. The server’s host key is pinned at the first connection, and a changed one is refused.',
    },
    {
      name: 'password',
      label: 'Password',
      hint: sftpPasswordKept
        ? 'Kept: left empty, Tend logs in with the kept password; type a new one to replace it, or forget it.'
        : 'Instead of a key, where the server takes one. Kept as a secret once used for scheduled backups, never in settings.',
      type: 'password',
      autoComplete: 'new-password',
    },
  ],
  s3: [
    {
      name: 'endpoint',
      label: 'Server',
      hint: 'https://s3.eu-central-1.amazonaws.com, or http://host:9000.',
    },
    { name: 'bucket', label: 'Bucket', hint: 'It must exist already.' },
    { name: 'prefix', label: 'Prefix', hint: 'A folder in the bucket for this repository.' },
    { name: 'region', label: 'Region', hint: 'Left empty, us-east-1.' },
    {
      name: 'accessKeyId',
      label: 'Access key id',
      hint: 'Kept as a secret, never in settings.',
    },
    {
      name: 'secretAccessKey',
      label: 'Secret access key',
      hint: s3KeysKnown ? 'Known already; type new ones to replace them.' : 'Kept as a secret.',
      type: 'password',
      autoComplete: 'new-password',
    },
  ],
});

/** One labelled input of the destination form, with its hint and, when refused, why. */
export function DestinationField(props: {
  row: FieldRow;
  value: string;
  issue: string | undefined;
  onChange: (value: string) => void;
  after?: ReactNode;
}): React.JSX.Element {
  const { row, value, issue, onChange, after } = props;
  const id = `repository-${row.name}`;
  return (
    <div className="field field-wide">
      <label htmlFor={id}>{row.label}</label>
      <div className="input-row">
        <input
          id={id}
          className="input mono"
          type={row.type ?? 'text'}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={issue ? true : undefined}
          aria-describedby={`${id}-issue ${id}-hint`}
          spellCheck={false}
          autoComplete={row.autoComplete ?? 'off'}
        />
        {after}
      </div>
      <p className="field-hint" id={`${id}-hint`}>
        {row.hint}
      </p>
      <FieldMessage id={`${id}-issue`} message={issue} />
    </div>
  );
}

/**
 * The fields of the place the form names: a folder (with the desktop's Browse… beside it), an
 * SFTP server or an S3-compatible bucket. Each row says what to type and, once the form was
 * checked, what is wrong with it.
 */
export function DestinationFields(props: {
  form: RepositoryForm;
  issues: RepositoryFormIssues;
  s3KeysKnown: boolean;
  /** An SFTP password is kept for the destination in settings. */
  sftpPasswordKept: boolean;
  update: (name: keyof Omit<RepositoryForm, 'kind'>, value: string) => void;
  /** The desktop's folder picker button; the web host has none. */
  browse?: ReactNode;
  /** The button that forgets the kept SFTP password, beside the password field. */
  forgetPassword?: ReactNode;
}): React.JSX.Element {
  const { form, issues, s3KeysKnown, sftpPasswordKept, update, browse, forgetPassword } = props;
  const rows: ReadonlyArray<FieldRow> =
    form.kind === 'local'
      ? [
          {
            name: 'folder',
            label: 'Folder',
            hint: 'Outside the data folder; an external disk is best.',
          },
        ]
      : remoteRows(s3KeysKnown, sftpPasswordKept)[form.kind];
  return (
    <>
      {rows.map((row) => (
        <DestinationField
          key={row.name}
          row={row}
          value={form[row.name]}
          issue={issues[row.name]}
          onChange={(value) => update(row.name, value)}
          after={
            row.name === 'folder' ? browse : row.name === 'password' ? forgetPassword : undefined
          }
        />
      ))}
    </>
  );
}
