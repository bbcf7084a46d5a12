import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigChange } from '../../../../src-shared/models/move';
import {
  readSettingsChanges,
  plannedChanges,
} from '../../../../src-main/engine/move/config-changes';
import {
  movePlaceIn,
  readMoveJournal,
  readMoveRecord,
  thisOwner,
  writeMoveJournal,
  type MoveJournal,
} from '../../../../src-main/engine/move/move-journal';
import { recoverMove } from '../../../../src-main/engine/move/move-recovery';
import { rollBackMove, switchOver } from '../../../../src-main/engine/move/move-switch';
import { tempDir } from '../../../support/temp-dir';

/** An app that keeps its folder in a settings file outside it (like Jan) and one with no setting. */
async function setUp() {
  const base = tempDir();
  const from = path.join(base, 'data');
  const to = path.join(base, 'disk', 'data');
  fs.mkdirSync(path.join(from, 'threads'), { recursive: true });
  fs.writeFileSync(path.join(from, 'threads', 'a.json'), '{}');
  fs.cpSync(from, to, { recursive: true });
  const settings = path.join(base, 'app-settings.json');
  fs.writeFileSync(settings, JSON.stringify({ data_folder: from, theme: 'dark' }));
  const planned = plannedChanges(
    [
      { kind: 'settings-file', file: settings, key: 'data_folder', note: 'the app reads it' },
      { kind: 'none', note: 'no setting' },
    ],
    from,
    to,
    'the app',
  );
  const changes: ConfigChange[] = await readSettingsChanges(planned, from, to);
  const place = movePlaceIn(path.join(base, 'state'));
  const journal: MoveJournal = {
    id: 'move-test-1',
    phase: 'switching',
    owner: thisOwner(),
    from,
    to,
    method: 'copy',
    targetCreated: true,
    kept: `${from}.tend-moved-test`,
    changes,
    record: null,
  };
  const relocations: Array<[string, string]> = [];
  const relocate = async (a: string, b: string) => {
    relocations.push([a, b]);
  };
  return { base, from, to, settings, changes, place, journal, relocations, relocate };
}

describe('the switch: settings written with the old value kept, a link where there is no setting', () => {
  it('plans the settings change from the file, and a link for the app with no setting', async () => {
    const s = await setUp();
    expect(s.changes).toEqual([
      expect.objectContaining({ kind: 'settings-file', from: s.from, to: s.to, applies: true }),
      expect.objectContaining({ kind: 'link', at: s.from, to: s.to }),
      expect.objectContaining({ kind: 'tend', from: s.from, to: s.to }),
    ]);
  });

  it('switches, then rolls back exactly', async () => {
    const s = await setUp();
    await writeMoveJournal(s.place, s.journal);
    await switchOver(s.place, s.journal, s.relocate);
    expect(JSON.parse(fs.readFileSync(s.settings, 'utf8'))).toEqual({
      data_folder: s.to,
      theme: 'dark',
    });
    expect(fs.readlinkSync(s.from)).toBe(s.to);
    expect(fs.existsSync(path.join(s.journal.kept!, 'threads', 'a.json'))).toBe(true);
    expect(s.relocations).toEqual([[s.from, s.to]]);
    expect(await readMoveJournal(s.place)).toBeNull();

    await rollBackMove(s.place, s.journal, s.relocate);
    expect(JSON.parse(fs.readFileSync(s.settings, 'utf8'))).toEqual({
      data_folder: s.from,
      theme: 'dark',
    });
    expect(fs.lstatSync(s.from).isDirectory()).toBe(true);
    expect(fs.existsSync(s.journal.kept!)).toBe(false);
    expect(fs.existsSync(s.to)).toBe(false);
    expect(s.relocations).toEqual([
      [s.from, s.to],
      [s.to, s.from],
    ]);
  });

  it('a settings value changed by someone else meanwhile is left alone on roll back', async () => {
    const s = await setUp();
    await switchOver(s.place, s.journal, s.relocate);
    fs.writeFileSync(s.settings, JSON.stringify({ data_folder: '/somewhere/else' }));
    await rollBackMove(s.place, s.journal, s.relocate);
    expect(JSON.parse(fs.readFileSync(s.settings, 'utf8'))).toEqual({
      data_folder: '/somewhere/else',
    });
  });

  it('recovery of a journal left by a dead process: switching rolls back, committed finishes', async () => {
    const s = await setUp();
    const dead = { host: thisOwner().host, pid: 2 ** 22 + 12345 };
    await writeMoveJournal(s.place, { ...s.journal, owner: dead });
    expect(await recoverMove(s.place, s.relocate)).toBe('switching');
    expect(fs.existsSync(s.to)).toBe(false);
    expect(fs.lstatSync(s.from).isDirectory()).toBe(true);

    const record = {
      id: 'move-test-2',
      from: s.from,
      to: s.to,
      method: 'copy' as const,
      targetCreated: true,
      files: 1,
      bytes: 2,
      movedAt: new Date().toISOString(),
      changes: s.changes,
      oldCopy: null,
      movedBackAt: null,
    };
    await writeMoveJournal(s.place, { ...s.journal, owner: dead, phase: 'committed', record });
    expect(await recoverMove(s.place, s.relocate)).toBe('committed');
    expect(await readMoveRecord(s.place)).toEqual(record);
    expect(await readMoveJournal(s.place)).toBeNull();
  });

  it('a journal of a process that still runs is left alone', async () => {
    const s = await setUp();
    await writeMoveJournal(s.place, { ...s.journal, owner: { host: thisOwner().host, pid: 1 } });
    expect(await recoverMove(s.place, s.relocate)).toBeNull();
    expect(await readMoveJournal(s.place)).not.toBeNull();
  });
});
