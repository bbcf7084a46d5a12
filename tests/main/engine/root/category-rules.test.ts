import { describe, expect, it } from 'vitest';
import {
  compileCategoryRules,
  compileCleanupRules,
} from '../../../../src-main/engine/root/category-rules';
import { categorize, cleanupPlaceOf } from '../../../support/native-root';

describe('categorize', () => {
  it.each([
    ['local_data/internal_assistant/assistant.db', 'irreplaceable'],
    ['local_data/internal_assistant/assistant.db-wal', 'irreplaceable'],
    ['local_data/internal_assistant/documents/notes/a.md', 'irreplaceable'],
    ['config/settings.yaml', 'irreplaceable'],
    ['local_data/models/custom/my-lora/adapter.bin', 'irreplaceable'],
    ['local_data/internal_assistant/vector_store/notes/index.hnsw', 'rebuildable'],
    ['local_data/internal_assistant/vector_store/notes/index.json', 'rebuildable'],
    ['local_data/models/llama/model.safetensors', 'redownloadable'],
    ['local_data/models/cache/models--org--m/blobs/abc', 'redownloadable'],
    ['local_data/cache/tiktoken/9b5ad71b2ce5', 'disposable'],
    ['local_data/cache/tiktoken/9b5ad71b2ce5.abc123.tmp', 'disposable'],
    ['local_data/logs/app.log', 'disposable'],
    ['local_data/logs/app-2026-01-01.log.gz', 'disposable'],
    ['local_data/logs/legacy/app.log', 'disposable'],
    ['data/logs/app.log', 'disposable'],
    ['local_data/internal_assistant/vector_store/notes/.lock', 'disposable'],
    ['local_data/internal_assistant/vector_store/notes/index.hnsw.ab12cd.tmp', 'disposable'],
    ['local_data/internal_assistant/vector_store/notes/index.hnsw.123-456.partial', 'disposable'],
    ['local_data/internal_assistant/upload_0a1b2c3d.tmp', 'disposable'],
    ['data/api_storage/entities.json', 'irreplaceable'],
    ['unknown/thing.bin', 'irreplaceable'],
    ['.hidden-user-file', 'irreplaceable'],
    ['.tend/catalog.db', null],
    ['.tend', null],
    ['./config/a.json', 'irreplaceable'],
    // Uploaded documents and config are the user's whatever they are called.
    ['local_data/internal_assistant/documents/ops/server.log', 'irreplaceable'],
    ['local_data/internal_assistant/documents/drafts/plan.tmp', 'irreplaceable'],
    ['local_data/internal_assistant/documents/tmp/report.pdf', 'irreplaceable'],
    ['local_data/internal_assistant/documents/build.tmp', 'irreplaceable'],
    ['config/app.lock', 'irreplaceable'],
    ['config/cache/tokens.bin', 'irreplaceable'],
    ['config/logs/old.log', 'irreplaceable'],
    // The old layout's uploads too (issue 17, item 5).
    ['data/uploads/ent_1/server.log', 'irreplaceable'],
    ['data/uploads/ent_1/draft.tmp', 'irreplaceable'],
    ['data/uploads/ent_1/tmp/notes.txt', 'irreplaceable'],
    // Names alone never make a file disposable outside the layout's own places (issue 16).
    ['documents/tmp/report.pdf', 'irreplaceable'],
    ['documents/build.tmp', 'irreplaceable'],
    ['work/tmp/thesis-draft.docx', 'irreplaceable'],
    ['Documents/lab-results.log', 'irreplaceable'],
    ['tmp/x.bin', 'irreplaceable'],
    ['some/app.log.3', 'irreplaceable'],
    ['some/logs/app.log', 'irreplaceable'],
    ['x/.cache/y.swp', 'irreplaceable'],
    ['local_data/internal_assistant/assistant.db.tmp', 'irreplaceable'],
    ['local_data/internal_assistant/legacy/api_storage/x.lock', 'irreplaceable'],
    ['run.pid', 'irreplaceable'],
  ])('%s is %s', (file, expected) => {
    expect(categorize(file)).toBe(expected);
  });

  it('takes the first rule that matches', () => {
    const custom = compileCategoryRules([
      { glob: 'a/keep/**', category: 'irreplaceable' },
      { glob: 'a/**', category: 'disposable' },
    ]);
    expect(custom('a/keep/x')).toBe('irreplaceable');
    expect(custom('a/other/x')).toBe('disposable');
    expect(custom('b/x')).toBe('irreplaceable');
  });
});

describe('cleanupPlaceOf', () => {
  it.each([
    ['local_data/logs/app-2026-01-01.log.gz', 'logs'],
    ['local_data/logs/nested/readme.txt', 'logs'],
    ['data/logs/app.log', 'logs'],
    ['local_data/cache/tiktoken/abc', 'cache'],
    ['local_data/cache/tiktoken/abc.123.tmp', 'temp'],
    ['local_data/internal_assistant/vector_store/notes/.lock', 'locks'],
    ['local_data/internal_assistant/vector_store/notes/writer.lock', 'locks'],
    ['local_data/internal_assistant/vector_store/notes/index.hnsw.ab.tmp', 'temp'],
    ['local_data/internal_assistant/upload_0a1b.tmp', 'temp'],
    ['local_data/internal_assistant/documents/c1/server.log', null],
    ['local_data/internal_assistant/documents/tmp/report.pdf', null],
    ['local_data/internal_assistant/documents/build.tmp', null],
    ['config/cache/a.bin', null],
    ['data/uploads/e/x.log', null],
    ['documents/tmp/report.pdf', null],
    ['tmp/file.tmp', null],
    ['local_data/internal_assistant/vector_store/notes/index.hnsw', null],
    ['local_data/internal_assistant/vector_store/notes/deep/x.lock', null],
    ['.tend/locks/data.lock', null],
  ])('%s → %s', (file, kind) => {
    expect(cleanupPlaceOf(file)?.kind ?? null).toBe(kind);
  });

  it('answers with the first rule that matches, so an irreplaceable rule shields a path', () => {
    const rules = compileCleanupRules([
      { glob: 'a/keep/**', category: 'irreplaceable' },
      { glob: 'a/**', category: 'disposable', cleanup: { kind: 'cache', place: 'a/' } },
    ]);
    expect(rules('a/keep/x')).toBeNull();
    expect(rules('a/other/x')).toEqual({ kind: 'cache', place: 'a/' });
  });
});
