import { z } from 'zod';

/** The input of a channel that takes nothing. */
export const empty = z.object({}).strict();

/** An absolute folder or file path typed by a person or picked in a dialog. */
export const absolutePath = z.string().min(1, 'A folder path is required').max(4096);
