import { z } from 'zod';
import { TableRowCountSchema } from './table-rows';

/**
 * What a backup's manifest keeps about one database dump: enough to check the dump's bytes
 * and to validate a restore of it (every table's exact row count, taken in the dump's own
 * snapshot). Read back from a manifest on disk, so it is parsed, never trusted.
 */
export const DatabaseDumpRecordSchema = z.object({
  engine: z.literal('postgresql'),
  /** The database's name on the server it was taken from. */
  database: z.string().min(1),
  /** Where the archive holds it: `database/<name>.dump`. */
  archivePath: z.string().min(1),
  format: z.literal('custom'),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  serverVersion: z.string(),
  pgDumpVersion: z.string(),
  /** ISO time the snapshot was taken. */
  takenAt: z.string(),
  tables: z.array(TableRowCountSchema).readonly(),
});
export type DatabaseDumpRecord = z.infer<typeof DatabaseDumpRecordSchema>;

/**
 * The archive path of a database's dump, `database/<name>.dump`. A database name may hold any
 * character, so anything beyond letters, digits, `_` and `-` is percent-encoded (never
 * a `/` that would make a folder, never `..`).
 */
export function dumpArchivePath(database: string): string {
  const safe = [...database]
    .map((char) =>
      /[A-Za-z0-9_-]/.test(char)
        ? char
        : [...Buffer.from(char)]
            .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
            .join(''),
    )
    .join('');
  return `database/${safe}.dump`;
}
