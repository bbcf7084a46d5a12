import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ASSISTANT_TABLES } from '../../../../../src-main/engine/store/assistant-schema';
import { applyAssistantMigrations } from '../../../../../src-main/engine/store/migrations';
import { assistantMigration001Initial } from '../../../../../src-main/engine/store/migrations/001-initial';

describe('assistant migration 001: initial', () => {
  it('creates every table of the original schema as STRICT, at version 1', () => {
    const db = new Database(':memory:');
    expect(applyAssistantMigrations(db, [assistantMigration001Initial])).toBe(1);
    const tables = db
      .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'")
      .all() as Array<{ name: string; strict: number }>;
    for (const table of ASSISTANT_TABLES) {
      expect(tables.find((row) => row.name === table)?.strict, table).toBe(1);
    }
    // Applying again is a no-op: the version says it is done.
    expect(applyAssistantMigrations(db, [assistantMigration001Initial])).toBe(1);
  });
});
