import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scanScope } from '../../../../src-main/engine/backup/backup-scope';
import { tempDir } from '../../../support/temp-dir';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A root with `count` small files in one folder, a link and a sub-folder. */
function rootWith(count: number): string {
  const root = tempDir('scope-scan');
  const memories = path.join(root, 'memories');
  fs.mkdirSync(path.join(memories, 'inner'), { recursive: true });
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(memories, `${i}.json`), `{"i":${i}}`);
  fs.writeFileSync(path.join(memories, 'inner', 'x.json'), '{}');
  fs.symlinkSync('inner/x.json', path.join(memories, 'link.json'));
  return root;
}

describe('the backup scope scan', () => {
  it('stats each entry without a thread-pool hop, and gives the loop its turn in a big folder', async () => {
    const root = rootWith(300);
    const asyncLstat = vi.spyOn(fsp, 'lstat');
    // Each reading of the clock a millisecond later: the 10 ms budget is spent every few entries.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
    let turns = 0;
    let done = false;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    const scope = await scanScope(root, ['irreplaceable'], null, {
      categorizer: () => 'irreplaceable',
    });
    done = true;
    expect(asyncLstat).not.toHaveBeenCalled();
    expect(turns).toBeGreaterThan(5);
    const files = scope.entries.filter((entry) => entry.type === 'file');
    expect(files).toHaveLength(301);
    expect(scope.files).toBe(301);
    expect(scope.bytes).toBe(files.reduce((sum, entry) => sum + entry.size, 0));
    expect(scope.entries.find((entry) => entry.path === 'memories/link.json')).toMatchObject({
      type: 'symlink',
      target: 'inner/x.json',
    });
    expect(scope.entries.filter((entry) => entry.type === 'directory').map((e) => e.path)).toEqual([
      'memories',
      'memories/inner',
    ]);
  });

  it('leaves out what is gone since the folder was listed', async () => {
    const root = rootWith(2);
    const scope = await scanScope(root, ['irreplaceable'], null, {
      categorizer: () => 'irreplaceable',
      readFolder: (absolute) => {
        const listed = fs.readdirSync(absolute, { withFileTypes: true }).map((dirent) => ({
          name: dirent.name,
          kind: dirent.isDirectory() ? ('directory' as const) : ('file' as const),
        }));
        return absolute.endsWith('memories')
          ? [...listed, { name: 'gone.json', kind: 'file' as const }]
          : listed;
      },
    });
    expect(scope.entries.map((entry) => entry.path)).not.toContain('memories/gone.json');
    expect(scope.files).toBe(3);
  });
});
