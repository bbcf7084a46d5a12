/**
 * Tend's own databases through stores/sqlite: a new one starts in WAL; one that lives in the
 * data folder (assistant.db, the analytics warm tier) keeps the journal mode it has; a staged
 * copy keeps the app's mode and leaves only its one file.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openHistoryDb } from '../../../../src-main/engine/maintenance/history-db';
import { openAssistantDb } from '../../../../src-main/engine/store/assistant-db';
import {
  isWalFile,
  openOwnDatabase,
  openOwnForReading,
  openStagedDatabase,
} from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import { tempDir } from '../../../support/temp-dir';

function rollbackDatabase(file: string): void {
  const db = new Database(file);
  db.exec('CREATE TABLE t (x)');
  db.close();
}

const modeOf = (file: string) => (isWalFile(file) ? 'wal' : 'rollback');

describe('opening Tend’s own databases', () => {
  it.each([
    ['a new file', false, {}, 'wal'],
    ['a new file, mode kept', false, { keepJournalMode: true }, 'wal'],
    ['a rollback-journal file', true, {}, 'wal'],
    ['a rollback-journal file, mode kept', true, { keepJournalMode: true }, 'rollback'],
  ] as const)('%s ends in %s', (_name, existing, options, mode) => {
    const file = path.join(tempDir(), 'own.db');
    if (existing) rollbackDatabase(file);
    const db = openOwnDatabase(file, { create: true, ...options });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    expect(modeOf(file)).toBe(mode);
  });

  it('never writes an empty file it was not asked to create', () => {
    const file = path.join(tempDir(), 'empty.db');
    fs.writeFileSync(file, '');
    openOwnDatabase(file, { keepJournalMode: true }).close();
    expect(fs.statSync(file).size).toBe(0);
  });

  it('keeps the journal mode of an existing assistant.db and analytics warm tier', () => {
    const dir = tempDir();
    const assistant = path.join(dir, 'assistant.db');
    openAssistantDb(assistant, { create: true }).close();
    const history = path.join(dir, 'historical_metrics.db');
    openHistoryDb(history).close();
    expect([modeOf(assistant), modeOf(history)]).toEqual(['wal', 'wal']);
    for (const file of [assistant, history]) {
      const app = new Database(file);
      app.pragma('journal_mode = DELETE');
      app.close();
    }
    openAssistantDb(assistant).close();
    openHistoryDb(history).close();
    expect([modeOf(assistant), modeOf(history)]).toEqual(['rollback', 'rollback']);
    expect(fs.readdirSync(dir).sort()).toEqual(['assistant.db', 'historical_metrics.db']);
  });

  it('reads a WAL database nobody has open without leaving -wal or -shm', () => {
    const dir = tempDir();
    const file = path.join(dir, 'assistant.db');
    openAssistantDb(file, { create: true }).close();
    const db = openOwnForReading(file);
    expect(() => db.exec('CREATE TABLE nope (x)')).toThrow(/readonly|query_only/i);
    db.close();
    expect(fs.readdirSync(dir)).toEqual(['assistant.db']);
  });

  it('writes a staged copy in the app’s mode and leaves only its file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'copy.db');
    const app = new Database(file);
    app.pragma('journal_mode = WAL');
    app.exec('CREATE TABLE t (x)');
    app.close();
    const db = openStagedDatabase(file);
    db.prepare('INSERT INTO t VALUES (1)').run();
    db.close();
    expect(modeOf(file)).toBe('wal');
    expect(fs.readdirSync(dir)).toEqual(['copy.db']);
  });
});
