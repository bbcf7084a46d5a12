import type { z } from 'zod';
import type { JobRecord } from '../../src-shared/models/jobs';
import type { resultSchemas } from './job-result-schemas';

/** The results the command line reads, by name (job-result-schemas.ts). */
export type ResultName = keyof typeof resultSchemas;

/**
 * A finished job's result read with the schema of what it is (`jobResultAs`): typed, and
 * JOB_RESULT_INVALID when it is something else. The schemas load here, when a command has a
 * result to read, never for `tend --help`.
 */
export async function readResult<N extends ResultName>(
  job: JobRecord,
  name: N,
): Promise<z.infer<(typeof resultSchemas)[N]>> {
  const { jobResultAs, resultSchemas: schemas } = await import('./job-result-schemas');
  return jobResultAs(job, schemas[name]) as z.infer<(typeof resultSchemas)[N]>;
}
