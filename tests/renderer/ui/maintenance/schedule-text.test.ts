import { describe, expect, it } from 'vitest';
import { emptyProgress, type JobRecord } from '../../../../src-shared/models/jobs';
import {
  describeChange,
  describeCron,
  jobDuration,
} from '../../../../src-renderer/src/ui/maintenance/schedule-text';

describe('describeCron', () => {
  it.each([
    ['30 4 * * *', 'Daily at 04:30'],
    ['0 4 * * 0', 'Sundays at 04:00'],
    ['0 5 1 * *', 'Monthly on the 1st at 05:00'],
    ['0 5 22 * *', 'Monthly on the 22nd at 05:00'],
    ['*/15 * * * *', '*/15 * * * *'],
    ['0 3 * 6 *', '0 3 * 6 *'],
  ])('%s → %s', (cron, text) => expect(describeCron(cron)).toBe(text));
});

const job = (patch: Partial<JobRecord>): JobRecord => ({
  id: 'j',
  kind: 'archival',
  title: 't',
  state: 'succeeded',
  writesRoot: true,
  progress: { ...emptyProgress },
  createdAt: '2026-11-23T04:30:00.000Z',
  startedAt: '2026-11-23T04:30:00.000Z',
  finishedAt: '2026-11-23T04:30:01.500Z',
  result: null,
  error: null,
  ...patch,
});

describe('describeChange and jobDuration', () => {
  it.each([
    [
      job({
        result: {
          dryRun: false,
          hotCutoff: '2026-08-25',
          rowsMoved: 120,
          monthsMoved: ['2026-07'],
          warmDaysDeleted: 0,
          coldFilesWritten: 1,
          coldFilesDeleted: 0,
          rowsRecovered: 0,
          bytesFreed: 2_500_000,
          durationMs: 40,
        },
      }),
      '120 rows moved out of the hot tier; 2.3 MiB freed.',
    ],
    [
      job({
        kind: 'migration',
        result: {
          from: 1,
          to: 3,
          applied: [
            { version: 2, name: 'a' },
            { version: 3, name: 'b' },
          ],
          backupId: 'tend-x',
          durationMs: 5,
        },
      }),
      'assistant.db went from version 1 to 3 (2 schema steps). Backup first: tend-x.',
    ],
    [
      job({
        state: 'failed',
        error: { code: 'ARCHIVE_BAD_ROW', message: 'Interaction 5 cannot be archived' },
      }),
      'Interaction 5 cannot be archived',
    ],
    // A result that is not the kind's shape says nothing rather than something wrong.
    [job({ result: { rowsMoved: 120 } }), null],
    [job({ result: null }), null],
    [job({ state: 'running', finishedAt: null }), null],
  ])('%#', (record, text) => expect(describeChange(record)).toBe(text));

  it('says how long a job took, and nothing while it runs', () => {
    expect(jobDuration(job({}))).toBe('1.5 s');
    expect(jobDuration(job({ finishedAt: '2026-11-23T04:33:05.000Z' }))).toBe('3 min 5 s');
    expect(jobDuration(job({ finishedAt: null }))).toBeNull();
  });
});
