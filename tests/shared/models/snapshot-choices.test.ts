import { describe, expect, it } from 'vitest';
import type { RestorableBackup } from '../../../src-shared/models/restore';
import {
  isSnapshotChoice,
  restoreChoices,
  snapshotChoices,
} from '../../../src-shared/models/snapshot-choices';

const snapshot = (id: string, time: string, kind = 'critical') => ({
  id: id.padEnd(64, '0'),
  shortId: id.slice(0, 8),
  time,
  kind,
  hostname: 'laptop',
  tags: ['tend', `kind:${kind}`],
  retention: { action: 'keep' as const, reason: 'newest critical backup' },
});

const archive = (id: string, createdAt: string): RestorableBackup => ({
  id,
  kind: 'full',
  createdAt,
  archivePath: `/media/usb/${id}.tar.gz`,
  tendVersion: '0.1.0',
  categories: ['irreplaceable'],
  files: 3,
  bytes: 10,
  verified: true,
});

describe('snapshot choices', () => {
  it('makes a snapshot a choice whose reference is snapshot:<id>', () => {
    const [choice] = snapshotChoices([snapshot('abcdef12', '2026-11-30T10:00:00.000Z')]);
    expect(choice).toMatchObject({
      id: 'snapshot abcdef12',
      kind: 'critical',
      archivePath: `snapshot:${'abcdef12'.padEnd(64, '0')}`,
      verified: false,
    });
    expect(isSnapshotChoice(choice!)).toBe(true);
    expect(isSnapshotChoice(archive('tend-x', '2026-01-01T00:00:00.000Z'))).toBe(false);
  });

  it("reads a kind Tend does not know (restic's own snapshot) as full", () => {
    expect(snapshotChoices([snapshot('aa', '2026-11-30T10:00:00.000Z', 'weird')])[0]!.kind).toBe(
      'full',
    );
  });

  it('lists archives and snapshots together, newest first', () => {
    const list = restoreChoices(
      [archive('a1', '2026-11-29T00:00:00.000Z'), archive('a2', '2026-11-27T00:00:00.000Z')],
      [snapshot('s1', '2026-11-30T00:00:00.000Z'), snapshot('s2', '2026-11-28T00:00:00.000Z')],
    );
    expect(list.map((item) => item.id)).toEqual(['snapshot s1', 'a1', 'snapshot s2', 'a2']);
  });
});
