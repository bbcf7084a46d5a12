import { z } from 'zod';

/** How big a demo root `tend demo` writes. */
export const DemoSizeSchema = z.enum(['small', 'medium', 'large']);
export type DemoSize = z.infer<typeof DemoSizeSchema>;

/** What the demo generator wrote. */
export const DemoSummarySchema = z.object({
  root: z.string(),
  size: DemoSizeSchema,
  seed: z.number(),
  files: z.number(),
  bytes: z.number(),
  collections: z.number(),
  documents: z.number(),
  chunks: z.number(),
  chatSessions: z.number(),
  interactions: z.number(),
});
export type DemoSummary = z.infer<typeof DemoSummarySchema>;
