import { TendFailure } from '../../../../src-shared/errors';
import { describeConnection, redactSecrets, type ConnectionParams } from './connection-url';

/** What a pg error or a socket error carries that tells the kind of failure. */
interface ErrorFields {
  code?: unknown;
  message?: unknown;
}

const unreachableSocketCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'ENOENT',
]);

/**
 * Turns whatever the `pg` client threw into a TendFailure a person can act on: a wrong password,
 * a server that cannot be reached, a database that does not exist, a missing privilege, or the
 * server's own message. Passwords never reach the message.
 */
export function pgFailure(
  error: unknown,
  params: ConnectionParams,
  password: string | null,
  doing: string,
): TendFailure {
  if (error instanceof TendFailure) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as ErrorFields;
  const code = typeof fields.code === 'string' ? fields.code : '';
  const raw = typeof fields.message === 'string' ? fields.message : String(error);
  const message = redactSecrets(raw, password ? [password] : []);
  const target = describeConnection(params);
  const details = { sqlState: code || undefined, serverMessage: message };

  if (code === '28P01' || code === '28000') {
    return new TendFailure(
      'PG_AUTH_FAILED',
      `The server refused ${params.user}'s sign-in to ${target} (${message}). ` +
        'Check the password in the environment variable or password file Tend was told to use.',
      details,
    );
  }
  if (/password must be a string|no password (was )?(supplied|provided)/i.test(raw)) {
    return new TendFailure(
      'PG_PASSWORD_UNAVAILABLE',
      `The server asks for a password for ${target} and Tend was given none. ` +
        'Name an environment variable or a .pgpass file that holds it.',
      details,
    );
  }
  if (code === '3D000') {
    return new TendFailure(
      'PG_DATABASE_MISSING',
      `The ${target} does not exist (${message}). Check the database name in the URL.`,
      details,
    );
  }
  if (code === '42501') {
    return new TendFailure(
      'PG_PERMISSION_DENIED',
      `${params.user} may not do this on ${target} while ${doing} (${message}). ` +
        'Connect as the database owner or a superuser.',
      details,
    );
  }
  if (
    unreachableSocketCodes.has(code) ||
    code.startsWith('08') ||
    code.startsWith('57P') ||
    /Connection terminated|timeout expired|connect ETIMEDOUT|the database system is/i.test(raw)
  ) {
    return new TendFailure(
      'PG_UNREACHABLE',
      `Tend cannot reach ${target} while ${doing} (${message}). ` +
        'Check that the server is running and the host and port are right.',
      details,
    );
  }
  return new TendFailure(
    'PG_QUERY_FAILED',
    `The server failed while ${doing} on ${target}: ${message}`,
    details,
  );
}
