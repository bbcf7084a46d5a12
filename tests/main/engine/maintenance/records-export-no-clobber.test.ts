/**
 * Issue 20, item 1: an export never replaces a file unless asked, never makes its folder, and
 * never removes what it did not create (a file that appears while it runs included).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRecords } from '../../../../src-main/engine/maintenance/records-transfer';
import { tempDir } from '../../../support/temp-dir';
import { addInteractions, makeAssistantDb } from './support';

function source() {
  const db = makeAssistantDb(tempDir());
  addInteractions(db, '2026-01-01', 3);
  return db;
}

describe('exportRecords', () => {
  it('refuses to replace a file that is there, unless told to', async () => {
    const db = source();
    const file = path.join(tempDir(), 'interactions.jsonl');
    fs.writeFileSync(file, 'mine\n');
    await expect(exportRecords(db, 'interactions', 'jsonl', file, null)).rejects.toMatchObject({
      code: 'PATH_EXISTS',
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('mine\n');
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    const replaced = await exportRecords(db, 'interactions', 'jsonl', file, null, {
      replace: true,
    });
    expect(replaced.records).toBeGreaterThan(0);
    expect(fs.readFileSync(file, 'utf8')).not.toBe('mine\n');
  });

  it('writes a new file, and leaves a file named like its temporary one alone', async () => {
    const db = source();
    const folder = tempDir();
    const file = path.join(folder, 'interactions.csv');
    expect((await exportRecords(db, 'interactions', 'csv', file, null)).records).toBeGreaterThan(0);
    const other = path.join(folder, 'other.csv');
    fs.writeFileSync(`${other}.partial`, 'not Tend’s\n');
    await expect(exportRecords(db, 'interactions', 'csv', other, null)).rejects.toMatchObject({
      code: 'PATH_EXISTS',
    });
    expect(fs.readFileSync(`${other}.partial`, 'utf8')).toBe('not Tend’s\n');
    expect(fs.existsSync(other)).toBe(false);
  });

  it('makes no folder for it', async () => {
    const db = source();
    const base = tempDir();
    const file = path.join(base, 'no', 'such', 'out.jsonl');
    await expect(exportRecords(db, 'interactions', 'jsonl', file, null)).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(fs.existsSync(path.join(base, 'no'))).toBe(false);
  });
});
