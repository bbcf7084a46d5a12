import fs from 'node:fs';
import { TendFailure } from '../../../src-shared/errors';
import type { Backend } from './backend';
import type { DestinationAddress } from './destination-address';
import type { HostKeyPins } from './host-key-pins';
import { LocalBackend } from './local-backend';

/** What opening a destination needs besides its address. */
export interface DestinationAccess {
  /** Where S3 keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION) and SSH_AUTH_SOCK are read. */
  readonly env: NodeJS.ProcessEnv;
  /** An SSH private key file for SFTP (else ssh-agent). */
  readonly identityFile?: string;
  /** An SFTP login password (tried besides a key). */
  readonly password?: string;
  /** The pinned SFTP host keys. */
  readonly hostKeys: HostKeyPins;
  /** Told when a server's host key is pinned for the first time. */
  readonly onHostKeyPinned?: (fingerprint: string) => void;
}

/**
 * The storage behind an address: a folder, an SFTP server (a key file, ssh-agent or a password, the host
 * key pinned on first use) or an S3-compatible bucket (keys from the environment only, never
 * from a file Tend writes). Call `close()` on it when done.
 *
 * The SFTP and S3 clients (ssh2, the AWS SDK) are loaded only when such an address is opened:
 * loaded up front they added a second or more to the start of every `tend` command.
 */
export async function openDestination(
  address: DestinationAddress,
  access: DestinationAccess,
): Promise<Backend> {
  switch (address.kind) {
    case 'local':
      return new LocalBackend(address.path);
    case 'sftp': {
      const agent = access.env.SSH_AUTH_SOCK || undefined;
      let privateKey: Buffer | undefined;
      if (access.identityFile) {
        try {
          privateKey = fs.readFileSync(access.identityFile);
        } catch (error) {
          throw new TendFailure(
            'INVALID_INPUT',
            `Cannot read the key file ${access.identityFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
            { reason: 'destination-key', path: access.identityFile },
          );
        }
      }
      if (!privateKey && !agent && !access.password) {
        throw new TendFailure(
          'INVALID_INPUT',
          `No SSH key or password to log in to ${address.host} with: give a key file (--identity FILE; in the app, SSH key file) or a password, or start ssh-agent and add the key (ssh-add).`,
          { reason: 'no-ssh-key' },
        );
      }
      const { SftpBackend } = await import('./sftp-backend');
      return new SftpBackend({
        host: address.host,
        port: address.port,
        username: address.username,
        path: address.path,
        ...(privateKey ? { privateKey } : {}),
        ...(agent ? { agent } : {}),
        ...(access.password ? { password: access.password } : {}),
        hostKey: access.hostKeys.get(address.host, address.port),
        onHostKeyPinned: (fingerprint) => {
          access.hostKeys.set(address.host, address.port, fingerprint);
          access.onHostKeyPinned?.(fingerprint);
        },
      });
    }
    case 's3': {
      const accessKeyId = access.env.AWS_ACCESS_KEY_ID;
      const secretAccessKey = access.env.AWS_SECRET_ACCESS_KEY;
      if (!accessKeyId || !secretAccessKey) {
        throw new TendFailure(
          'INVALID_INPUT',
          'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment to reach an S3 bucket; Tend never stores them.',
          { reason: 'no-s3-keys' },
        );
      }
      const region = access.env.AWS_REGION || access.env.AWS_DEFAULT_REGION;
      const { S3Backend } = await import('./s3-backend');
      return new S3Backend({
        endpoint: address.endpoint,
        bucket: address.bucket,
        prefix: address.prefix,
        accessKeyId,
        secretAccessKey,
        ...(access.env.AWS_SESSION_TOKEN ? { sessionToken: access.env.AWS_SESSION_TOKEN } : {}),
        ...(region ? { region } : {}),
      });
    }
  }
}
