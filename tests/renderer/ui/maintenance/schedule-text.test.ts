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
      job({ result: { rowsMoved: 120, bytesFreed: 2_500_000, dryRun: false } }),
      '120 rows archived, 2.5 MB freed',
    ],
    [job({ kind: 'scrub', result: { rows: 7, dryRun: true } }), '7 rows scrubbed, dry run'],
    [job({ kind: 'migration', result: { applied: [{}, {}], from: 1, to: 3 } }), '2 schema step(s)'],
    [
      job({
        state: 'failed',
        error: { code: 'ARCHIVE_BAD_ROW', message: 'Interaction 5 cannot be archived' },
      }),
      'Interaction 5 cannot be archived',
    ],
    [job({ result: null }), null],
  ])('%#', (record, text) => expect(describeChange(record)).toBe(text));

  it('says how long a job took, and nothing while it runs', () => {
    expect(jobDuration(job({}))).toBe('1.5 s');
    expect(jobDuration(job({ finishedAt: '2026-11-23T04:33:05.000Z' }))).toBe('3 min 5 s');
    expect(jobDuration(job({ finishedAt: null }))).toBeNull();
  });
});
