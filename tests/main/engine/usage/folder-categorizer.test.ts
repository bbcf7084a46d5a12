import { describe, expect, it } from 'vitest';
import {
  compileCategoryRules,
  type CategoryRule,
} from '../../../../src-main/engine/root/category-rules';
import { categorize, nativeCategoryRules } from '../../../support/native-root';
import {
  categoryAt,
  compileFolderCategorizer,
  splitAtLastFolder,
} from '../../../../src-main/engine/usage/folder-categorizer';

const paths = [
  'assistant.db',
  'local_data/internal_assistant/assistant.db',
  'local_data/internal_assistant/assistant.db-wal',
  'local_data/internal_assistant/upload_ab12.tmp',
  'local_data/internal_assistant/documents/c1/report.pdf',
  'local_data/internal_assistant/documents/c1/server.log',
  'local_data/internal_assistant/vector_store/c1/index.hnsw',
  'local_data/internal_assistant/vector_store/c1/.lock',
  'local_data/internal_assistant/vector_store/c1/index.hnsw.abc.tmp',
  'local_data/models/custom/my-model/weights.bin',
  'local_data/models/all-MiniLM/model.safetensors',
  'local_data/models/cache/hub/blob',
  'local_data/cache/tiktoken/abc',
  'local_data/logs/app.log',
  'local_data/logs/app-2026-01-01.log.gz',
  'local_data/logs/debug.log.3',
  'local_data/logs/nested/readme.txt',
  'data/logs/app.log',
  'data/chroma/chroma.sqlite3',
  'config/settings.json',
  'config/LOCK',
  'config/run.pid',
  'something/tmp/file',
  'tmp/x.bin',
  '.hidden',
  'x/.cache/y.swp',
  'notes.txt',
  'local_data/internal_assistant/vector_store/c1/index.hnsw.12-34.partial',
  'local_data/internal_assistant/vector_store/c1/writer.lock',
  'local_data/internal_assistant/vector_store/c1/deep/x.lock',
  'local_data/internal_assistant/vector_store/x.lock',
  'local_data/cache/tiktoken/abc.12.tmp',
  'local_data/cache/x.tmp',
  'local_data/cache/a/b/c/x.tmp',
  'local_data/internal_assistant/documents/tmp/report.pdf',
  'local_data/internal_assistant/documents/build.tmp',
  'config/cache/tokens.bin',
  'data/uploads/e1/server.log',
  'data/uploads/e1/draft.tmp',
  'documents/tmp/report.pdf',
  'work/tmp/thesis-draft.docx',
];

function folderOf(relative: string): [string, string] {
  const at = relative.lastIndexOf('/');
  return at < 0 ? ['', relative] : [relative.slice(0, at), relative.slice(at + 1)];
}

describe('compileFolderCategorizer', () => {
  it.each(paths)('agrees with categorize() on %s', (relative) => {
    const [folder, name] = folderOf(relative);
    expect(categoryAt(compileFolderCategorizer(nativeCategoryRules)(folder)(name))).toBe(
      categorize(relative),
    );
  });

  it('agrees with a profile whose rules test whole paths and names in any order', () => {
    const rules: CategoryRule[] = [
      { glob: 'config/keep-*.tmp', category: 'irreplaceable' },
      { glob: '**/*.tmp', category: 'disposable' },
      { glob: 'big/**', category: 'redownloadable' },
      { glob: '**/*.idx', category: 'rebuildable' },
      { glob: '**', category: 'irreplaceable' },
    ];
    const whole = compileCategoryRules(rules);
    const perFolder = compileFolderCategorizer(rules);
    for (const relative of [
      'config/keep-1.tmp',
      'config/other.tmp',
      'big/a.idx',
      'big/a.tmp',
      'small/a.idx',
      'small/a',
      'a.tmp',
    ]) {
      const [folder, name] = folderOf(relative);
      expect(categoryAt(perFolder(folder)(name)), relative).toBe(whole(relative));
    }
  });
});

describe('splitAtLastFolder', () => {
  it.each([
    ['a/*/{.lock,*.lock}', { folder: 'a/*', name: '{.lock,*.lock}' }],
    ['a/**/*.tmp', { folder: 'a/**', name: '*.tmp' }],
    ['a/b/upload_*.tmp', { folder: 'a/b', name: 'upload_*.tmp' }],
    ['*.tmp', null],
    ['/x', null],
    ['a/**', null],
    ['a/{b/c,d}', null],
  ])('%s → %j', (glob, expected) => {
    expect(splitAtLastFolder(glob)).toEqual(expected);
  });
});
