/**
 * The postgres-app profile's own setting for one root: where its database is, and where the
 * password comes from. Kept in Tend's state folder of the root (`postgres.json`), never in the
 * data folder, and never with a password in it: the URL refuses one, and the password source
 * is a pointer (an environment variable's name, a `.pgpass`-style file's path).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeZodError, TendFailure } from '../../../../src-shared/errors';
import { writeFileDurably } from '../../fs/durable';
import type { RootState } from '../../root/root-state';
import {
  PostgresConnectionSettingsSchema,
  type PostgresConnectionSettings,
} from '../../stores/postgres/connection';
import { parseDatabaseUrl } from '../../stores/postgres/connection-url';

/** The file of the connection setting in a root's state folder. */
export function postgresSettingsFile(state: RootState): string {
  return path.join(state.dir, 'postgres.json');
}

/** The root's connection setting, or null when none was saved (`tend pg connect`). */
export async function readPostgresSettings(
  state: RootState,
): Promise<PostgresConnectionSettings | null> {
  const file = postgresSettingsFile(state);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TendFailure(
      'SETTINGS_UNREADABLE',
      `The database setting ${file} cannot be read (${(error as Error).message}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TendFailure(
      'SETTINGS_UNREADABLE',
      `The database setting ${file} is not JSON. Set it again: tend pg connect URL.`,
    );
  }
  const parsed = PostgresConnectionSettingsSchema.safeParse(json);
  if (!parsed.success) {
    throw new TendFailure(
      'SETTINGS_UNREADABLE',
      `The database setting ${file} is not valid (${describeZodError(parsed.error).message}). Set it again: tend pg connect URL.`,
    );
  }
  return parsed.data;
}

/** The root's connection setting; INVALID_INPUT saying how to set one when there is none. */
export async function requirePostgresSettings(
  state: RootState,
): Promise<PostgresConnectionSettings> {
  const settings = await readPostgresSettings(state);
  if (!settings) {
    throw new TendFailure(
      'INVALID_INPUT',
      'No database is set for this folder yet. Set it first: tend pg connect postgresql://USER@HOST:PORT/DATABASE --password-env VARIABLE (or --pgpass FILE).',
    );
  }
  return settings;
}

/** Saves the connection setting (checked: the URL parses and holds no password). */
export async function writePostgresSettings(
  state: RootState,
  settings: PostgresConnectionSettings,
): Promise<void> {
  const checked = PostgresConnectionSettingsSchema.parse(settings);
  parseDatabaseUrl(checked.url);
  await fs.mkdir(state.dir, { recursive: true });
  await writeFileDurably(postgresSettingsFile(state), `${JSON.stringify(checked, null, 2)}\n`, {
    mode: 0o600,
  });
}
