import { z } from 'zod';

/** The input of a channel that takes nothing. */
export const empty = z.object({}).strict();
