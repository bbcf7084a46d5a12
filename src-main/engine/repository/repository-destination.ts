import type { RepositoryDestination } from '../../../src-shared/models/repository';
import { assertNever } from '../../../src-shared/errors';
import type { DestinationAddress } from './destination-address';

/**
 * The address (restic's words) of a destination set in Settings: a folder, an SFTP server or
 * an S3 bucket's prefix. `formatDestinationAddress` of it is what `restic -r` takes.
 */
export function addressOfDestination(destination: RepositoryDestination): DestinationAddress {
  switch (destination.kind) {
    case 'local':
      return { kind: 'local', path: destination.folder };
    case 'sftp':
      return {
        kind: 'sftp',
        host: destination.host,
        port: destination.port,
        username: destination.username,
        path: destination.path,
      };
    case 's3':
      return {
        kind: 's3',
        endpoint: destination.endpoint.replace(/\/+$/, ''),
        bucket: destination.bucket,
        prefix: destination.prefix.replace(/^\/+|\/+$/g, ''),
      };
    default:
      return assertNever(destination);
  }
}
