import { TendFailure } from '../../../../src-shared/errors';

/** How the connection uses TLS, as libpq's `sslmode` (the modes Tend supports). */
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-full';
const sslModes: ReadonlyArray<SslMode> = ['disable', 'prefer', 'require', 'verify-full'];

/** Where and as whom to connect, from a database URL: never a password. */
export interface ConnectionParams {
  /** A host name or address, or a Unix socket folder (starts with `/`). */
  host: string;
  port: number;
  database: string;
  user: string;
  sslMode: SslMode;
}

const DEFAULT_PORT = 5432;

function invalid(message: string): TendFailure {
  return new TendFailure('INVALID_INPUT', message);
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`The database URL's ${what} is not valid percent-encoding.`);
  }
}

/**
 * Reads a `postgresql://user@host:port/database?sslmode=…` URL (or `postgres://`); a Unix
 * socket folder goes in `?host=/var/run/postgresql` or percent-encoded as the host.
 *
 * A URL that carries a password is refused: Tend keeps the URL in its settings, and the
 * password belongs in the environment or a password file the person names.
 */
export function parseDatabaseUrl(text: string): ConnectionParams {
  const trimmed = text.trim();
  if (!/^postgres(?:ql)?:\/\//i.test(trimmed)) {
    throw invalid(
      'The database URL must start with postgresql:// (for example ' +
        'postgresql://postgres@localhost:5432/impactbot).',
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid(
      'The database URL is not a valid URL; expected postgresql://user@host:port/database.',
    );
  }
  if (url.password) {
    throw invalid(
      'The database URL holds a password. Remove it from the URL (Tend stores the URL in its ' +
        'settings) and give the password through an environment variable or a .pgpass file.',
    );
  }
  const query = url.searchParams;
  for (const key of query.keys()) {
    if (!['host', 'port', 'sslmode', 'user', 'dbname'].includes(key)) {
      throw invalid(
        `The database URL's parameter "${key}" is not supported; ` +
          'Tend reads host, port, sslmode, user and dbname.',
      );
    }
  }
  if (query.has('password')) throw invalid('The database URL holds a password.');
  const host = query.get('host') ?? (url.hostname ? decode(url.hostname, 'host') : 'localhost');
  const portText = query.get('port') ?? url.port;
  const port = portText ? Number(portText) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid(`The database URL's port "${portText}" is not a port number (1–65535).`);
  }
  const pathName = url.pathname.replace(/^\//, '');
  const database = query.get('dbname') ?? (pathName ? decode(pathName, 'database name') : '');
  if (!database || database.includes('/')) {
    throw invalid(
      'The database URL names no database; add it after the host, as in ' +
        'postgresql://postgres@localhost:5432/impactbot.',
    );
  }
  const user = query.get('user') ?? (url.username ? decode(url.username, 'user name') : '');
  if (!user) {
    throw invalid(
      'The database URL names no user; add it before the host, as in postgresql://postgres@localhost/db.',
    );
  }
  const sslText = query.get('sslmode') ?? 'prefer';
  const sslMode = sslModes.find((mode) => mode === sslText);
  if (!sslMode) {
    throw invalid(`The database URL's sslmode "${sslText}" is not one of ${sslModes.join(', ')}.`);
  }
  return {
    host: host.startsWith('/') ? host : host.replace(/^\[|\]$/g, ''),
    port,
    database,
    user,
    sslMode,
  };
}

/**
 * Names a connection for messages and logs: `database "impactbot" on localhost:5432 as
 * postgres`. It holds no secret (the params never do).
 */
export function describeConnection(params: ConnectionParams): string {
  const where = params.host.startsWith('/')
    ? `the socket in ${params.host} (port ${params.port})`
    : `${params.host}:${params.port}`;
  return `database "${params.database}" on ${where} as ${params.user}`;
}

/**
 * Replaces the password part of every URL in a text (`user:secret@` → `user:***@`), and the
 * given secrets wherever they appear: for anything a tool prints before it reaches a message.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string> = []): string {
  let redacted = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
  redacted = redacted.replace(/\bpassword\s*=\s*('[^']*'|\S+)/gi, 'password=***');
  for (const secret of secrets) {
    if (secret) redacted = redacted.split(secret).join('***');
  }
  return redacted;
}
