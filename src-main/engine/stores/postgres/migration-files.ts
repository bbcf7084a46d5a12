import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../../src-shared/errors';

/** One numbered SQL file of a migrations folder. */
export interface MigrationFile {
  /** The file name, which is the migration's name in `tend_migrations`. */
  name: string;
  /** The leading number, which orders the files. */
  number: bigint;
  file: string;
  sql: string;
  /** SHA-256 of the file's bytes, hex: an applied file that changes is refused. */
  checksum: string;
}

/** `0001_add_users.sql`, `20240618_add_feature.sql`: digits, `_` or `-`, a name, `.sql`. */
const MIGRATION_NAME = /^(\d+)[_-][A-Za-z0-9_.-]*\.sql$/;

/** The number a migration file name starts with, or null when it is not one. */
export function migrationNumber(name: string): bigint | null {
  const match = MIGRATION_NAME.exec(name);
  return match ? BigInt(match[1]!) : null;
}

/**
 * Orders migration file names by their number; two files with the same number are refused
 * (which one runs first would be a guess). Other files are ignored. Pure.
 */
export function orderMigrationNames(names: ReadonlyArray<string>): string[] {
  const numbered = names
    .map((name) => ({ name, number: migrationNumber(name) }))
    .filter((entry): entry is { name: string; number: bigint } => entry.number !== null)
    .sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  for (let i = 1; i < numbered.length; i += 1) {
    if (numbered[i]!.number === numbered[i - 1]!.number) {
      throw new TendFailure(
        'INVALID_INPUT',
        `Two migrations have the number ${numbered[i]!.number}: ${numbered[i - 1]!.name} and ` +
          `${numbered[i]!.name}. Renumber one so the order is clear.`,
      );
    }
  }
  return numbered.map((entry) => entry.name);
}

/** The numbered SQL files of a folder, in order, read and hashed. */
export async function readMigrationFolder(folder: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (error) {
    throw new TendFailure(
      'INVALID_INPUT',
      `The migrations folder ${folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}).`,
    );
  }
  const files: MigrationFile[] = [];
  for (const name of orderMigrationNames(names)) {
    const file = path.join(folder, name);
    const bytes = await fs.readFile(file);
    files.push({
      name,
      number: migrationNumber(name)!,
      file,
      sql: bytes.toString('utf8'),
      checksum: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  return files;
}

/**
 * Starts a new migration file (the seed's `migration-workflow.sh create`): the next number
 * after the folder's highest, four digits at least, and a header to write the SQL under.
 * Returns its path; never overwrites.
 */
export async function createMigrationFile(folder: string, title: string): Promise<string> {
  const slug = title
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) {
    throw new TendFailure('INVALID_INPUT', 'Give the migration a name, such as add_indicators.');
  }
  await fs.mkdir(folder, { recursive: true });
  const names = orderMigrationNames(await fs.readdir(folder));
  const last = names.length ? migrationNumber(names.at(-1)!)! : 0n;
  const name = `${String(last + 1n).padStart(4, '0')}_${slug}.sql`;
  const file = path.join(folder, name);
  await fs.writeFile(
    file,
    `-- ${name}\n-- Runs inside one transaction: if any statement fails, none of it is kept.\n\n`,
    { flag: 'wx' },
  );
  return file;
}

/**
 * The 1-based line of a statement that would end Tend's transaction around a migration
 * (`BEGIN;`, `START TRANSACTION;`, `COMMIT;`, `ROLLBACK;` on a line of their own; a bare `END;`
 * also closes PL/pgSQL blocks, so it is not counted), or null. Pure.
 */
export function transactionControlLine(sql: string): number | null {
  const lines = sql.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!.replace(/--.*$/, '').trim();
    if (/^(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK)(\s+(WORK|TRANSACTION))?\s*;/i.test(line)) {
      return i + 1;
    }
  }
  return null;
}
