import { z } from 'zod';

/**
 * The PostgreSQL database of a postgres-app folder (seed 003) as the pages see it: whether the
 * folder has one and Tend is connected to it, and its size by table.
 */

/** Whether the open folder keeps its data in PostgreSQL, and whether Tend is connected. */
export const PostgresStatusSchema = z.object({
  /** The folder is a postgres-app folder (its profile keeps a database). */
  applies: z.boolean(),
  /** A connection is saved (`tend pg connect`). */
  connected: z.boolean(),
  /** The saved URL, without password; null when none. */
  url: z.string().nullable(),
});
export type PostgresStatus = z.infer<typeof PostgresStatusSchema>;

/** One table's share of the database: its pages, TOAST and indexes apart. */
export const TableUsageSchema = z.object({
  schema: z.string(),
  name: z.string(),
  tableBytes: z.number().int().nonnegative(),
  toastBytes: z.number().int().nonnegative(),
  indexBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  estimatedRows: z.number(),
});
export type TableUsageInfo = z.infer<typeof TableUsageSchema>;

/** The database's size, and each table's, largest first. */
export const DatabaseUsageSchema = z.object({
  database: z.string(),
  databaseBytes: z.number().int().nonnegative(),
  tables: z.array(TableUsageSchema).readonly(),
});
export type DatabaseUsageInfo = z.infer<typeof DatabaseUsageSchema>;
