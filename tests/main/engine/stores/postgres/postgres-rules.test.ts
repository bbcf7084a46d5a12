/** The PostgreSQL store's pure rules, table-driven. */
import { describe, expect, it } from 'vitest';
import {
  chooseTools,
  parseMajorVersion,
} from '../../../../../src-main/engine/stores/postgres/client-tools';
import { splitSettingList } from '../../../../../src-main/engine/stores/postgres/database-properties';
import { describeSessions } from '../../../../../src-main/engine/stores/postgres/database-sessions';
import { dumpArchivePath } from '../../../../../src-main/engine/stores/postgres/dump-record';
import {
  orderMigrationNames,
  transactionControlLine,
} from '../../../../../src-main/engine/stores/postgres/migration-files';
import {
  compareMigrations,
  lineOf,
} from '../../../../../src-main/engine/stores/postgres/migration-runner';
import { describeRedisCache } from '../../../../../src-main/engine/stores/postgres/redis-cache';
import { compareRowCounts } from '../../../../../src-main/engine/stores/postgres/restore-validate';
import {
  markerComment,
  readMarker,
  tendDatabaseKind,
  tendDatabaseName,
  tendDatabasesIn,
} from '../../../../../src-main/engine/stores/postgres/tend-databases';

describe('parseMajorVersion', () => {
  it.each([
    ['pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)', { version: '15.18', major: 15 }],
    ['16.2', { version: '16.2', major: 16 }],
    ['9.6.24', { version: '9.6.24', major: 9 }],
    ['17beta1', { version: '17', major: 17 }],
    ['no digits', null],
  ])('%s', (text, expected) => {
    expect(parseMajorVersion(text)).toEqual(expected);
  });
});

describe('chooseTools', () => {
  const tool = (pgDump: string, major: number) => ({ pgDump, version: `${major}.1`, major });
  it.each([
    [
      'the PATH one when it can',
      [tool('/usr/bin/pg_dump', 16), tool('/lib/15', 15)],
      15,
      '/usr/bin/pg_dump',
    ],
    [
      'an installed one when the PATH one is too old',
      [tool('/usr/bin/pg_dump', 13), tool('/lib/17', 17), tool('/lib/15', 15)],
      15,
      '/lib/15',
    ],
    ['none when all are older', [tool('/usr/bin/pg_dump', 13)], 15, null],
    ['none when there are none', [], 15, null],
  ])('%s', (_label, candidates, server, expected) => {
    expect(chooseTools(candidates, server)?.pgDump ?? null).toBe(expected);
  });
});

describe('tendDatabaseName', () => {
  const at = new Date(Date.UTC(2026, 5, 18, 12, 30, 5));
  it.each([
    ['impactbot_v2', 'restore', 'impactbot_v2_tend_restore_20260618123005'],
    ['impactbot_v2', 'undo', 'impactbot_v2_tend_undo_20260618123005'],
    ['x'.repeat(60), 'restore', `${'x'.repeat(63 - 28)}_tend_restore_20260618123005`],
    // Cut by bytes, never inside a character.
    ['é'.repeat(30), 'undo', `${'é'.repeat(19)}_tend_undo_20260618123005`],
  ] as const)('%s (%s)', (live, kind, expected) => {
    const name = tendDatabaseName(live, kind, at);
    expect(name).toBe(expected);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(tendDatabaseKind(name)).toBe(kind);
  });

  it('adds a counter when the second is taken', () => {
    const taken = new Set(['bot_tend_undo_20260618123005']);
    expect(tendDatabaseName('bot', 'undo', at, (name) => taken.has(name))).toBe(
      'bot_tend_undo_20260618123005_2',
    );
  });
});

describe("Tend's databases are known by name and marker both", () => {
  const marker = { kind: 'undo' as const, live: 'bot', at: '2026-01-01T00:00:00.000Z' };
  const db = (name: string, comment: string | null) => ({
    name,
    comment,
    allowConnections: true,
    bytes: 1,
  });
  it.each([
    ['name and marker', db('bot_tend_undo_20260101000000', markerComment(marker)), true],
    ['name without marker', db('bot_tend_undo_20260101000000', null), false],
    ['name with another comment', db('bot_tend_undo_20260101000000', 'prod copy'), false],
    ['marker of another kind', db('bot_tend_restore_20260101000000', markerComment(marker)), false],
    ['marker without the name', db('bot_copy', markerComment(marker)), false],
    [
      'marker of another live database',
      db('bot_tend_undo_20260101000000', markerComment({ ...marker, live: 'other' })),
      false,
    ],
  ])('%s', (_label, database, ours) => {
    expect(tendDatabasesIn([database], 'bot').length === 1).toBe(ours);
  });

  it('reads back what it writes, and nothing else', () => {
    expect(readMarker(markerComment(marker))).toEqual(marker);
    expect(readMarker('tend:{not json')).toBeNull();
    expect(readMarker(null)).toBeNull();
  });
});

describe('compareRowCounts', () => {
  const t = (name: string, rows: number) => ({ schema: 'public', name, rows });
  it.each([
    ['equal', [t('a', 1), t('b', 2)], [t('a', 1), t('b', 2)], []],
    ['a count differs', [t('a', 1)], [t('a', 2)], [{ table: 'a', expected: 1, found: 2 }]],
    ['a table is missing', [t('a', 1)], [], [{ table: 'a', expected: 1, found: null }]],
    [
      'a table is extra',
      [],
      [{ schema: 'app', name: 'z', rows: 0 }],
      [{ table: 'app.z', expected: null, found: 0 }],
    ],
  ])('%s', (_label, expected, found, mismatches) => {
    expect(compareRowCounts(expected, found)).toEqual(mismatches);
  });
});

describe('splitSettingList', () => {
  it.each([
    ['public', ['public']],
    ['public, "$user"', ['public', '$user']],
    ['"My Schema", app', ['My Schema', 'app']],
    ['"a""b"', ['a"b']],
  ])('%s', (value, items) => {
    expect(splitSettingList(value)).toEqual(items);
  });
});

describe('migration files', () => {
  it('orders by number, ignores other files, refuses two of one number', () => {
    expect(
      orderMigrationNames([
        '10_b.sql',
        '9_a.sql',
        'notes.txt',
        '20240618_add_feature.sql',
        'x.sql',
      ]),
    ).toEqual(['9_a.sql', '10_b.sql', '20240618_add_feature.sql']);
    expect(() => orderMigrationNames(['1_a.sql', '01_b.sql'])).toThrow(
      /Two migrations have the number 1/,
    );
  });

  it.each([
    ['CREATE TABLE t (id int);', null],
    ['BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;', 1],
    ['CREATE TABLE t (id int);\n  commit work;', 2],
    ['CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;', null],
    ['-- BEGIN;\nSELECT 1;', null],
  ])('transactionControlLine(%j) = %s', (sql, line) => {
    expect(transactionControlLine(sql)).toBe(line);
  });

  it.each([
    [1, 1],
    [5, 1],
    [7, 2],
    [12, 3],
  ])('position %i is on line %i', (position, line) => {
    expect(lineOf('abcde\nfghi\njk', position)).toBe(line);
  });

  it('compares a folder with the history', () => {
    const status = compareMigrations(
      [
        { name: '1_a.sql', checksum: 'a' },
        { name: '2_b.sql', checksum: 'B' },
        { name: '3_c.sql', checksum: 'c' },
      ],
      [
        { name: '1_a.sql', checksum: 'a', appliedAt: 't1' },
        { name: '2_b.sql', checksum: 'b', appliedAt: 't2' },
        { name: '0_gone.sql', checksum: 'z', appliedAt: 't0' },
      ],
    );
    expect(status.pending).toEqual([{ name: '3_c.sql', checksum: 'c' }]);
    expect(status.changed).toEqual([{ name: '2_b.sql', applied: 'b', now: 'B' }]);
    expect(status.missing).toEqual(['0_gone.sql']);
  });
});

describe('small things', () => {
  it.each([
    ['impactbot', 'database/impactbot.dump'],
    ['a/../b', 'database/a%2F%2E%2E%2Fb.dump'],
    ['chat bot', 'database/chat%20bot.dump'],
  ])('dumpArchivePath(%j)', (name, expected) => {
    expect(dumpArchivePath(name)).toBe(expected);
  });

  it('describes connected sessions briefly', () => {
    const session = (pid: number) => ({
      pid,
      user: 'bot',
      application: 'impact-bot',
      clientAddress: '172.18.0.5',
      since: null,
      state: 'idle',
    });
    expect(describeSessions([session(1)])).toBe('1 session (pid 1 impact-bot from 172.18.0.5)');
    expect(describeSessions([1, 2, 3, 4, 5, 6, 7].map(session))).toMatch(
      /^7 sessions \(.*pid 5 impact-bot from 172\.18\.0\.5, and 2 more\)$/,
    );
  });

  it('lists Redis as a cache that is never backed up, without its password', () => {
    expect(describeRedisCache('redis://:s3cret@redis:6379/0')).toMatchObject({
      kind: 'redis',
      location: 'redis://:***@redis:6379/0',
      role: 'cache',
      backedUp: false,
    });
  });
});
