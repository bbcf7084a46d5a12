/** The Database page's list of migrations: every file and applied one, by number, with its state. */
import { describe, expect, it } from 'vitest';
import { migrationRows } from '../../../../src-main/engine/profiles/postgres-app/migration-list';
import type { MigrationStatus } from '../../../../src-main/engine/stores/postgres/migration-runner';

const at = '2026-11-30T10:00:00.000Z';
const applied = (name: string) => ({ name, checksum: 'c', appliedAt: at });

describe('migrationRows', () => {
  it.each<[string, MigrationStatus, Array<[string, string, string | null]>]>([
    [
      'nothing in the folder, nothing applied',
      { applied: [], pending: [], changed: [], missing: [] },
      [],
    ],
    [
      'applied and pending, ordered by number not by text',
      {
        applied: [applied('2_b.sql')],
        pending: [
          { name: '10_c.sql', checksum: 'x' },
          { name: '3_a.sql', checksum: 'y' },
        ],
        changed: [],
        missing: [],
      },
      [
        ['2_b.sql', 'applied', at],
        ['3_a.sql', 'pending', null],
        ['10_c.sql', 'pending', null],
      ],
    ],
    [
      'a file changed since applied, and an applied one gone from the folder',
      {
        applied: [applied('1_a.sql'), applied('2_b.sql')],
        pending: [],
        changed: [{ name: '1_a.sql', applied: 'c', now: 'd' }],
        missing: ['2_b.sql'],
      },
      [
        ['1_a.sql', 'changed', at],
        ['2_b.sql', 'missing', at],
      ],
    ],
  ])('%s', (_name, status, expected) => {
    expect(migrationRows(status).map((row) => [row.name, row.state, row.appliedAt])).toEqual(
      expected,
    );
  });
});
