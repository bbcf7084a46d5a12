import { describe, expect, it } from 'vitest';
import type { ConfigChange, MoveRecord } from '../../../../src-shared/models/move';
import {
  describeChange,
  describeMethod,
  describeOldCopy,
} from '../../../../src-renderer/src/ui/settings/move-text';

describe('move wizard words', () => {
  it.each<[ConfigChange, { who: string; title: RegExp; code: string | null }]>([
    [
      { kind: 'env', variable: 'DATA_DIR', line: 'DATA_DIR=/mnt/big/webui', note: 'Restart it.' },
      {
        who: 'you',
        title: /^Set DATA_DIR where the app is started/,
        code: 'DATA_DIR=/mnt/big/webui',
      },
    ],
    [
      {
        kind: 'settings-file',
        file: '~/.config/Jan/settings.json',
        key: 'data_folder',
        from: '/home/a/jan',
        to: '/mnt/big/jan',
        applies: true,
        note: '',
      },
      {
        who: 'tend',
        title: /^Tend writes data_folder in ~\/\.config\/Jan\/settings\.json/,
        code: 'data_folder: /home/a/jan → /mnt/big/jan',
      },
    ],
    [
      {
        kind: 'settings-file',
        file: 'settings.yaml',
        key: 'data.local_data_folder',
        from: null,
        to: null,
        applies: false,
        note: 'It moves with the folder.',
      },
      { who: 'none', title: /nothing to change/, code: null },
    ],
    [
      { kind: 'link', at: '/home/a/anything', to: '/mnt/big/anything', note: '' },
      { who: 'tend', title: /link at the old place/, code: '/home/a/anything → /mnt/big/anything' },
    ],
    [
      { kind: 'tend', from: '/a', to: '/b', note: '' },
      { who: 'tend', title: /^Tend's record/, code: '/a → /b' },
    ],
  ])('describeChange %#', (change, expected) => {
    const text = describeChange(change);
    expect(text.who).toBe(expected.who);
    expect(text.title).toMatch(expected.title);
    expect(text.code).toBe(expected.code);
  });

  it.each([
    [
      { method: 'rename', files: 3, bytes: 2048 } as const,
      /renamed in one step, and its 3 files \(2 KiB\) stay/,
    ],
    [
      { method: 'copy', files: 1, bytes: 10 } as const,
      /^Tend copies 1 file \(10 B\) to the other disk, .*SHA-256/,
    ],
  ])('describeMethod %#', (plan, expected) => {
    expect(describeMethod(plan)).toMatch(expected);
  });

  const record: MoveRecord = {
    id: 'move-1',
    from: '/home/a/data',
    to: '/mnt/data',
    method: 'copy',
    targetCreated: true,
    files: 5,
    bytes: 4096,
    movedAt: '2026-11-30T10:00:00Z',
    changes: [],
    oldCopy: { path: '/home/a/data.tend-moved-x', bytes: 4096, files: 5 },
    movedBackAt: null,
  };
  it.each([
    [record, 'The old copy is kept at /home/a/data.tend-moved-x: 4 KiB in 5 files.'],
    [{ ...record, oldCopy: null }, null],
    [{ ...record, movedBackAt: '2026-11-30T11:00:00Z' }, null],
  ])('describeOldCopy %#', (input, expected) => {
    expect(describeOldCopy(input)).toBe(expected);
  });
});
