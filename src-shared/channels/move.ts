/**
 * Moving the data folder to another place (issue 14): plan, apply (a job), back, and the
 * removal of the old copy, each its own confirmation.
 */
import { z } from 'zod';
import { JobRecordSchema } from '../models/jobs';
import { ForgetOldResultSchema, MovePlanSchema, MoveStatusSchema } from '../models/move';
import { pathField } from '../models/paths';
import { empty } from './common';

/** The folder to move the data into: new, or empty; it becomes the data folder. */
const moveTarget = pathField('new-root', 'Say where to move the data folder');

/** Invoke channels of the move domain. */
export const moveChannels = {
  /** What moving the open data folder to `target` would do, and why it may be refused. */
  'move:plan': {
    input: z.object({ target: moveTarget }).strict(),
    output: MovePlanSchema,
  },
  /** Moves the data folder as a job: copy and verify (or rename), switch, keep the old copy. */
  'move:apply': {
    input: z.object({ target: moveTarget }).strict(),
    output: JobRecordSchema,
  },
  /** The last move, its old copy (with its size) and whether it can be moved back. */
  'move:status': { input: empty, output: MoveStatusSchema },
  /** Undoes the last move while its old copy exists (a job). */
  'move:back': { input: empty, output: JobRecordSchema },
  /** Removes the last move's old copy: only the files the move copied and verified. */
  'move:forget-old': { input: empty, output: ForgetOldResultSchema },
} as const;

/** Event channels of the move domain: none (the job events carry progress). */
export const moveEvents = {} as const;
