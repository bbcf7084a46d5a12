import { describe, expect, it } from 'vitest';
import { TendFailure } from '../../../../../src-shared/errors';
import {
  describeConnection,
  parseDatabaseUrl,
  redactSecrets,
} from '../../../../../src-main/engine/stores/postgres/connection-url';

describe('parseDatabaseUrl', () => {
  it.each([
    [
      'postgresql://postgres@localhost:5432/impactbot_v2',
      {
        host: 'localhost',
        port: 5432,
        database: 'impactbot_v2',
        user: 'postgres',
        sslMode: 'prefer',
      },
    ],
    [
      'postgres://bot@db.internal/chat?sslmode=require',
      { host: 'db.internal', port: 5432, database: 'chat', user: 'bot', sslMode: 'require' },
    ],
    [
      'postgresql://app@%2Fvar%2Frun%2Fpostgresql:5433/impact%20bot',
      {
        host: '/var/run/postgresql',
        port: 5433,
        database: 'impact bot',
        user: 'app',
        sslMode: 'prefer',
      },
    ],
    [
      'postgresql:///impactbot?host=/tmp/sockets&user=postgres&port=6543',
      {
        host: '/tmp/sockets',
        port: 6543,
        database: 'impactbot',
        user: 'postgres',
        sslMode: 'prefer',
      },
    ],
    [
      'postgresql://postgres@[::1]:5432/db',
      { host: '::1', port: 5432, database: 'db', user: 'postgres', sslMode: 'prefer' },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it.each([
    ['mysql://root@localhost/db', /must start with postgresql:\/\//],
    ['postgresql://postgres:hunter2@localhost/db', /holds a password/],
    ['postgresql://postgres@localhost/db?password=hunter2', /password/],
    ['postgresql://postgres@localhost:99999/db', /port/],
    ['postgresql://postgres@localhost/', /names no database/],
    ['postgresql://localhost/db', /names no user/],
    ['postgresql://postgres@localhost/db?sslmode=allow', /sslmode "allow"/],
    [
      'postgresql://postgres@localhost/db?application_name=x',
      /"application_name" is not supported/,
    ],
  ])('refuses %s with a message that says what to fix', (url, message) => {
    let failure: unknown;
    try {
      parseDatabaseUrl(url);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(TendFailure);
    expect((failure as TendFailure).code).toBe('INVALID_INPUT');
    expect((failure as TendFailure).message).toMatch(message);
    // A refused URL's password never reaches the message.
    expect((failure as TendFailure).message).not.toContain('hunter2');
  });
});

describe('describeConnection', () => {
  it('names the database, the server and the user, never more', () => {
    expect(describeConnection(parseDatabaseUrl('postgresql://bot@db:5433/chat'))).toBe(
      'database "chat" on db:5433 as bot',
    );
    expect(describeConnection(parseDatabaseUrl('postgresql:///chat?host=/run/pg&user=bot'))).toBe(
      'database "chat" on the socket in /run/pg (port 5432) as bot',
    );
  });
});

describe('redactSecrets', () => {
  it.each([
    [
      'could not connect to postgresql://bot:s3cret@db/chat',
      'could not connect to postgresql://bot:***@db/chat',
    ],
    ['dbname=chat password=s3cret host=db', 'dbname=chat password=*** host=db'],
    ["password='a b' user=x", 'password=*** user=x'],
    ['the secret s3cret leaked', 'the secret *** leaked'],
    ['nothing to hide', 'nothing to hide'],
  ])('%s', (text, expected) => {
    expect(redactSecrets(text, ['s3cret'])).toBe(expected);
  });
});
