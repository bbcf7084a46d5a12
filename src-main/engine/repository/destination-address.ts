import os from 'node:os';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';

/**
 * Where a repository is, written as restic writes a repository's address (`restic -r …`), so a
 * person can give Tend and restic the same words:
 * - a folder: `/media/usb/tend`, `./backups` or `local:/media/usb/tend`;
 * - SFTP: `sftp:user@host:/srv/tend` (a path without a leading slash is under the login
 *   folder), or `sftp://user@host:2222//srv/tend` for another port (restic's form: two slashes
 *   before an absolute path, one before a path under the login folder);
 * - S3-compatible: `s3:https://host[:port]/bucket/prefix` (http for a local server), or
 *   `s3:s3.amazonaws.com/bucket/prefix` (https).
 * No credentials are part of an address: S3 keys come from the environment, SFTP keys from a
 * file or ssh-agent.
 */
export type DestinationAddress =
  | { readonly kind: 'local'; readonly path: string }
  | {
      readonly kind: 'sftp';
      readonly username: string;
      readonly host: string;
      readonly port: number;
      readonly path: string;
    }
  | {
      readonly kind: 's3';
      readonly endpoint: string;
      readonly bucket: string;
      readonly prefix: string;
    };

function badAddress(text: string, why: string): TendFailure {
  return new TendFailure(
    'INVALID_INPUT',
    `${text} is not a repository address Tend can use (${why}). Write a folder, sftp:user@host:/path, sftp://user@host:port//path or s3:https://host/bucket/prefix.`,
    { reason: 'bad-address', address: text },
  );
}

/** Reads a repository address (a folder, `sftp:…` or `s3:…`); `cwd` resolves a relative folder. */
export function parseDestinationAddress(
  text: string,
  cwd: string = process.cwd(),
  currentUser: () => string = () => os.userInfo().username,
): DestinationAddress {
  const trimmed = text.trim();
  if (!trimmed) throw badAddress(JSON.stringify(text), 'it is empty');
  if (trimmed.startsWith('sftp://')) return parseSftpUrl(trimmed, currentUser);
  if (trimmed.startsWith('sftp:')) return parseSftpShort(trimmed, currentUser);
  if (trimmed.startsWith('s3:')) return parseS3(trimmed);
  if (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ||
    /^(rest|b2|azure|gs|swift|rclone):/.test(trimmed)
  ) {
    throw badAddress(trimmed, 'Tend writes to a folder, SFTP or S3-compatible storage only');
  }
  const folder = trimmed.startsWith('local:') ? trimmed.slice('local:'.length) : trimmed;
  if (!folder) throw badAddress(trimmed, 'no folder after local:');
  return { kind: 'local', path: path.resolve(cwd, folder) };
}

function parseSftpShort(text: string, currentUser: () => string): DestinationAddress {
  const match = /^(?:([^@:/]+)@)?([^@:/]+):(.+)$/.exec(text.slice('sftp:'.length));
  if (!match) throw badAddress(text, 'write sftp:user@host:/path');
  const [, username, host, folder] = match;
  return {
    kind: 'sftp',
    username: username ?? currentUser(),
    host: host!,
    port: 22,
    path: folder!,
  };
}

function parseSftpUrl(text: string, currentUser: () => string): DestinationAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badAddress(text, 'not a valid sftp:// address');
  }
  if (!url.hostname) throw badAddress(text, 'no host');
  const username = url.username ? decodeURIComponent(url.username) : currentUser();
  // restic: sftp://host//abs/path is /abs/path; sftp://host/rel/path is rel/path.
  const folder = decodeURIComponent(url.pathname).slice(1);
  if (!folder) throw badAddress(text, 'no path after the host');
  const port = url.port ? Number(url.port) : 22;
  return { kind: 'sftp', username, host: url.hostname, port, path: folder };
}

function parseS3(text: string): DestinationAddress {
  const rest = text.slice('s3:'.length);
  const withScheme = /^https?:\/\//.test(rest) ? rest : `https://${rest}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw badAddress(text, 'not a valid s3: address');
  }
  if (url.username || url.password) {
    throw badAddress(
      text,
      'keys do not belong in the address; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  }
  const parts = decodeURIComponent(url.pathname).split('/').filter(Boolean);
  const bucket = parts[0];
  if (!bucket) throw badAddress(text, 'no bucket after the host');
  return {
    kind: 's3',
    endpoint: `${url.protocol}//${url.host}`,
    bucket,
    prefix: parts.slice(1).join('/'),
  };
}

/** The address as a person and restic read it (`restic -r <this>`). */
export function formatDestinationAddress(address: DestinationAddress): string {
  switch (address.kind) {
    case 'local':
      return address.path;
    case 'sftp':
      return address.port === 22
        ? `sftp:${address.username}@${address.host}:${address.path}`
        : `sftp://${address.username}@${address.host}:${address.port}/${address.path}`;
    case 's3':
      return `s3:${address.endpoint}/${address.bucket}${address.prefix ? `/${address.prefix}` : ''}`;
  }
}
