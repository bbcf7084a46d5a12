import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../../../../src-main/engine/stores/postgres/connection-url';
import {
  findPgpassPassword,
  parsePgpass,
} from '../../../../../src-main/engine/stores/postgres/pgpass-file';

const file = [
  '# the bot',
  'db.internal:5432:impactbot:bot:first',
  'db.internal:*:*:bot:any-db',
  'localhost:5432:chat:postgres:pa\\:ss\\\\word',
  '*:*:*:admin:wild',
  'too:few:fields',
  '',
].join('\n');

describe('parsePgpass', () => {
  it('reads libpq lines, undoes escapes, skips comments and short lines', () => {
    expect(parsePgpass(file)).toEqual([
      { host: 'db.internal', port: '5432', database: 'impactbot', user: 'bot', password: 'first' },
      { host: 'db.internal', port: '*', database: '*', user: 'bot', password: 'any-db' },
      {
        host: 'localhost',
        port: '5432',
        database: 'chat',
        user: 'postgres',
        password: 'pa:ss\\word',
      },
      { host: '*', port: '*', database: '*', user: 'admin', password: 'wild' },
    ]);
  });
});

describe('findPgpassPassword', () => {
  const entries = parsePgpass(file);
  it.each([
    ['postgresql://bot@db.internal:5432/impactbot', 'first'],
    ['postgresql://bot@db.internal:6000/other', 'any-db'],
    ['postgresql://postgres@localhost:5432/chat', 'pa:ss\\word'],
    // A Unix socket connection matches a `localhost` line, as in libpq.
    ['postgresql:///chat?host=/var/run/postgresql&user=postgres', 'pa:ss\\word'],
    ['postgresql://admin@anywhere:1/x', 'wild'],
    ['postgresql://postgres@localhost:5433/chat', null],
    ['postgresql://nobody@db.internal/impactbot', null],
  ])('%s → %s', (url, expected) => {
    expect(findPgpassPassword(entries, parseDatabaseUrl(url))).toBe(expected);
  });
});
