import { describe, expect, it } from 'vitest';
import { categorize, compileCategoryRules } from '../../../../src-main/engine/root/category-rules';

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
    ['local_data/logs/app.log', 'disposable'],
    ['local_data/logs/app-2026-01-01.log.gz', 'disposable'],
    ['data/logs/app.log', 'disposable'],
    ['local_data/internal_assistant/vector_store/notes/.lock', 'disposable'],
    ['local_data/internal_assistant/assistant.db.tmp', 'disposable'],
    ['some/app.log.3', 'disposable'],
    ['data/api_storage/entities.json', 'irreplaceable'],
    ['unknown/thing.bin', 'irreplaceable'],
    ['.hidden-user-file', 'irreplaceable'],
    ['.tend/catalog.db', null],
    ['.tend', null],
    ['./config/a.json', 'irreplaceable'],
    // Uploaded documents and config are the user's whatever they are called.
    ['local_data/internal_assistant/documents/ops/server.log', 'irreplaceable'],
    ['local_data/internal_assistant/documents/drafts/plan.tmp', 'irreplaceable'],
    ['config/app.lock', 'irreplaceable'],
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
