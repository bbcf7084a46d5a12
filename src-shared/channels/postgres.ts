/**
 * The channels of a postgres-app folder's database (issue 11): its status, the backup before
 * an update, and its usage by table. The rest (restore by swap, undo, migrations) is
 * `tend pg …` on the command line.
 */
import { z } from 'zod';
import { JobRecordSchema } from '../models/jobs';
import { pathField } from '../models/paths';
import { DatabaseUsageSchema, PostgresStatusSchema } from '../models/postgres';
import { empty } from './common';

/** The postgres channels. */
export const postgresChannels = {
  /** Whether the open folder keeps its data in PostgreSQL, and whether Tend is connected. */
  'pg:status': { input: empty, output: PostgresStatusSchema },
  /**
   * Backs the database and the folder's files up before an update of the app (kind
   * `pre-update`, a job); the answer's job ends with the backup's record.
   */
  'pg:guard': {
    input: z.object({ destination: pathField('destination').optional() }).strict(),
    output: JobRecordSchema,
  },
  /** The database's size by table, with TOAST and indexes apart. */
  'pg:usage': { input: empty, output: DatabaseUsageSchema },
} as const;

/** The postgres events: none (jobs report through job:progress). */
export const postgresEvents = {} as const;
