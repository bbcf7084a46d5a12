/**
 * Validation of a SQLite database: is it one, and does SQLite find it sound.
 */
import fs from 'node:fs';
import path from 'node:path';
import { missingFile, storeCheck, type StoreCheck, type StoreFinding } from '../store-finding';
import { readSqliteHeader } from './sqlite-header';
import { withReadOnlyDatabase } from './sqlite-open';

/** What a database check read. */
export interface SqliteFacts {
  readonly bytes: number;
  readonly pageSize: number | null;
  readonly wal: boolean | null;
  readonly userVersion: number | null;
  readonly tables: number | null;
}

const LISTED_ERRORS = 5;

const noFacts = (bytes: number): SqliteFacts => ({
  bytes,
  pageSize: null,
  wal: null,
  userVersion: null,
  tables: null,
});

/**
 * Checks a database read-only: `PRAGMA quick_check` by default, the slower
 * `PRAGMA integrity_check` (which also checks every index against its table) when `full`.
 * `label` names the database in findings, relative to the store's location.
 */
export async function checkDatabase(
  file: string,
  options: { readonly full?: boolean; readonly label?: string } = {},
): Promise<StoreCheck<SqliteFacts>> {
  const label = options.label ?? path.basename(file);
  let bytes: number;
  try {
    bytes = fs.statSync(file).size;
  } catch {
    return storeCheck(noFacts(0), [missingFile(label, 'The database')]);
  }
  const header = await readSqliteHeader(file);
  if (!header.ok) {
    return storeCheck(noFacts(bytes), [
      {
        code: 'SQLITE_NOT_DATABASE',
        severity: 'problem',
        path: label,
        message: `${label} is not a SQLite database: ${header.reason}.`,
        action: 'Restore the file from a backup; the app cannot open it as it is.',
      },
    ]);
  }
  const pragma = options.full ? 'integrity_check' : 'quick_check';
  try {
    return withReadOnlyDatabase(file, (db) => {
      const results = (db.pragma(pragma) as Array<Record<string, string>>).map(
        (row) => Object.values(row)[0] ?? '',
      );
      const tables = (
        db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as {
          n: number;
        }
      ).n;
      const facts: SqliteFacts = {
        bytes,
        pageSize: header.header.pageSize,
        wal: header.header.wal,
        userVersion: header.header.userVersion,
        tables,
      };
      const findings: StoreFinding[] =
        results.length === 1 && results[0] === 'ok'
          ? []
          : [corrupt(label, results.slice(0, LISTED_ERRORS).join('; '))];
      return storeCheck(facts, findings);
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      return storeCheck(noFacts(bytes), [
        {
          code: 'SQLITE_UNREADABLE',
          severity: 'notice',
          path: label,
          message: `${label} is locked by another program, so it could not be checked now.`,
          action: 'Check again when the app that uses it is idle or closed.',
        },
      ]);
    }
    return storeCheck(noFacts(bytes), [corrupt(label, (error as Error).message)]);
  }
}

function corrupt(label: string, detail: string): StoreFinding {
  return {
    code: 'SQLITE_CORRUPT',
    severity: 'problem',
    path: label,
    message: `SQLite finds ${label} damaged: ${detail}.`,
    action:
      'Restore the database from the newest backup that verifies; do not let the app write to it meanwhile.',
  };
}
