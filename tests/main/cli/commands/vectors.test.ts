import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../support/temp-dir';
import { clusteredVectors, importLines, writeJsonl } from '../../engine/vectors/vectors-fixtures';
import { tend } from '../../../support/run-tend';

describe('tend import and tend vectors', () => {
  it('imports, lists, searches, checks, compacts and keeps up a root from the command line', async () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    expect((await tend(['init', root], state)).code).toBe(0);
    const file = writeJsonl(path.join(base, 'in.jsonl'), importLines(clusteredVectors(60, 8)));
    const imported = await tend(['--root', root, 'import', 'notes', file, '--space', 'l2'], state);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toMatch(
      /Imported 60 chunks of 15 new documents into notes \(new collection\)/,
    );

    const listed = await tend(['--root', root, '--json', 'vectors', 'collections'], state);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: 'notes', space: 'l2', chunkCount: 60 }]);

    const search = await tend(
      ['--root', root, 'vectors', 'search', 'notes', '--chunk', '4', '-k', '3'],
      state,
    );
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/3 neighbours from the index/);
    expect(search.stdout).toMatch(/#4 /);

    const health = await tend(['--root', root, 'vectors', 'health'], state);
    expect(health.stdout).toMatch(/notes: ok/);
    expect(health.stdout).toMatch(/recall@10 is /);

    const compact = await tend(['--root', root, 'vectors', 'compact', 'notes'], state);
    expect(compact.stdout).toMatch(/Compacted notes: 60 vectors/);

    const upkeep = await tend(['--root', root, 'vectors', 'upkeep'], state);
    expect(upkeep.stdout).toMatch(/assistant .* integrity ok/);
  });

  it('exits non-zero with the line number of a bad line', async () => {
    const base = tempDir();
    const state = path.join(base, 'state');
    const root = path.join(base, 'root');
    await tend(['init', root], state);
    const file = writeJsonl(path.join(base, 'bad.jsonl'), ['{"document": "a", "text": "t"}']);
    const result = await tend(['--root', root, 'import', 'notes', file], state);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 1: the field "embedding" is missing \(IMPORT_INVALID\)/);
  });
});
