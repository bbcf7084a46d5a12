import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { TendFailure } from '../../../src-shared/errors';
import type { RootSession } from '../root-session';
import { AssistantDbError, openAssistantDb } from '../store/assistant-db';
import { LATEST_ASSISTANT_VERSION } from '../store/migrations';

/**
 * Opens the root's assistant.db for maintenance work, which needs the newest schema.
 *
 * A missing store, one from a newer Tend, or one that still waits for its schema migration
 * are refused with a code and the step that fixes them.
 */
export function openCurrentAssistantDb(
  session: RootSession,
  options: { readonly?: boolean } = {},
): Database.Database {
  const file = session.resolve(session.assistant('The assistant database').db);
  if (!fs.existsSync(file)) {
    throw new TendFailure(
      'ASSISTANT_DB_MISSING',
      `There is no assistant database at ${file} yet; nothing to maintain.`,
    );
  }
  let db: Database.Database;
  try {
    db = openAssistantDb(file, { readonly: options.readonly ?? false });
  } catch (error) {
    if (error instanceof AssistantDbError && error.code === 'ASSISTANT_DB_NEWER') {
      throw new TendFailure('SCHEMA_NEWER', error.message);
    }
    throw error;
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < LATEST_ASSISTANT_VERSION) {
    db.close();
    throw new TendFailure(
      'SCHEMA_OUTDATED',
      `assistant.db is at schema version ${version}; run its migration first (Maintenance page, or tend migrate apply).`,
    );
  }
  return db;
}
