import { describe, expect, it } from 'vitest';
import {
  addChanges,
  noChanges,
  type WatchedChange,
} from '../../../../src-main/engine/usage/folder-changes';

const ROOT = '/data/root';

describe('addChanges', () => {
  const cases: Array<{
    name: string;
    changes: WatchedChange[];
    folders: string[];
    files?: string[];
    rescan?: boolean;
  }> = [
    {
      name: 'a file written in place: that file alone',
      changes: [{ path: `${ROOT}/local_data/logs/app.log`, type: 'update' }],
      folders: [],
      files: ['local_data/logs/app.log'],
    },
    {
      name: 'a file created: its folder and the path itself',
      changes: [{ path: `${ROOT}/local_data/logs/new.log`, type: 'create' }],
      folders: ['local_data/logs', 'local_data/logs/new.log'],
    },
    {
      name: 'a file at the top: the root',
      changes: [{ path: `${ROOT}/notes.txt`, type: 'create' }],
      folders: ['', 'notes.txt'],
    },
    {
      name: 'a folder renamed: both names and their folder',
      changes: [
        { path: `${ROOT}/docs/a`, type: 'delete' },
        { path: `${ROOT}/docs/b`, type: 'create' },
      ],
      folders: ['docs', 'docs/a', 'docs/b'],
    },
    {
      name: "Tend's own .tend/ is left out",
      changes: [
        { path: `${ROOT}/.tend/catalog.db`, type: 'update' },
        { path: `${ROOT}/.tend`, type: 'update' },
      ],
      folders: [],
    },
    {
      name: 'a name that only starts like .tend is the assistant’s',
      changes: [{ path: `${ROOT}/.tender/x`, type: 'create' }],
      folders: ['.tender', '.tender/x'],
    },
    {
      name: 'paths outside the root, or a sibling sharing its prefix, are left out',
      changes: [
        { path: '/data/root-old/x', type: 'create' },
        { path: '/elsewhere/y', type: 'create' },
      ],
      folders: [],
    },
    {
      name: 'the root itself',
      changes: [{ path: ROOT, type: 'update' }],
      folders: [''],
    },
    {
      name: 'a name the watcher could not decode: a rescan',
      changes: [{ path: `${ROOT}/docs/caf\uFFFD.txt`, type: 'create' }],
      folders: [],
      rescan: true,
    },
  ];
  for (const item of cases) {
    it(item.name, () => {
      const got = addChanges(noChanges(), ROOT, item.changes);
      expect([...got.folders].sort()).toEqual([...item.folders].sort());
      expect([...got.files].sort()).toEqual([...(item.files ?? [])].sort());
      expect(got.rescan).toBe(item.rescan ?? false);
    });
  }

  it('gathers several batches into one', () => {
    const into = noChanges();
    addChanges(into, ROOT, [{ path: `${ROOT}/a/1`, type: 'create' }]);
    addChanges(into, `${ROOT}/`, [{ path: `${ROOT}/b/2`, type: 'create' }]);
    expect([...into.folders].sort()).toEqual(['a', 'a/1', 'b', 'b/2']);
  });
});
