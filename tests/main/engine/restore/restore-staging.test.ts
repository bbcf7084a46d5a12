/**
 * Where a restore stages its files: beside the data folder, else in Tend's state folder of the
 * root on the same disk, never inside the data folder (it is the app's); neither possible, a
 * refusal (RESTORE_STAGING_FAILED) that says what to change. The journal records the place, so
 * the swap, the rollback and recovery use the folder the restore really staged in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseStaging,
  legacyStagingDir,
  leftoverStaging,
  makeStaging,
  newJournal,
  recoverRestore,
  rollBack,
  stagingFolder,
  stagingOf,
  stagingPlace,
  swapIn,
  writeJournal,
  type StagingCandidate,
} from '../../../../src-main/engine/restore/restore-journal';
import { TendFailure } from '../../../../src-shared/errors';
import { tempDir } from '../../../support/temp-dir';

const root = '/data/assistant';
const beside = (sameDevice: boolean, writable: boolean): StagingCandidate => ({
  dir: '/data',
  sameDevice,
  writable,
});
const state = (sameDevice: boolean, writable: boolean): StagingCandidate => ({
  dir: '/home/me/.config/Tend/roots/ab12/restore',
  sameDevice,
  writable,
});

describe('choosing where a restore stages', () => {
  it.each([
    [
      'a writable parent on the same disk',
      beside(true, true),
      state(true, true),
      '/data',
      '.assistant.tend-staging-',
    ],
    [
      'a parent the user cannot write',
      beside(true, false),
      state(true, true),
      state(true, true).dir,
      'staging-',
    ],
    [
      'a root that is a mount point',
      beside(false, true),
      state(true, true),
      state(true, true).dir,
      'staging-',
    ],
  ])('with %s', (_case, parent, stateDir, where, prefix) => {
    const chosen = chooseStaging(root, parent, stateDir);
    expect(chosen).toEqual({ parent: where, prefix });
    expect(stagingFolder(chosen, 'restore-1')).toBe(path.join(where, `${prefix}restore-1`));
    expect(chosen.parent.startsWith(root)).toBe(false);
  });

  it.each([
    [
      'the parent cannot be written',
      beside(true, false),
      state(false, true),
      /cannot write in \/data.*another disk/,
    ],
    [
      'the root is a mount point',
      beside(false, true),
      state(true, false),
      /\/data is on another disk.*cannot be written either/,
    ],
  ])('refuses, never staging inside the data folder, when %s', (_case, parent, stateDir, why) => {
    let failure: unknown;
    try {
      chooseStaging(root, parent, stateDir);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(TendFailure);
    expect(failure).toMatchObject({ code: 'RESTORE_STAGING_FAILED' });
    expect((failure as Error).message).toMatch(why);
    expect((failure as Error).message).toMatch(/Make \/data writable.*restore again/);
  });
});

describe('the staging folder of a restore', () => {
  function place() {
    const base = tempDir();
    const dataRoot = path.join(base, 'assistant');
    fs.mkdirSync(dataRoot);
    const stateDir = path.join(base, 'state', 'restore');
    return {
      base,
      place: {
        root: dataRoot,
        journal: path.join(stateDir, 'journal.json'),
        last: path.join(stateDir, 'last.json'),
      },
      stateDir,
    };
  }

  it('is beside the root where the parent can be written, and the journal says so', () => {
    const { base, place: at } = place();
    const chosen = stagingPlace(at);
    expect(chosen).toEqual({ parent: base, prefix: '.assistant.tend-staging-' });
    const staging = stagingFolder(chosen, 'restore-1');
    expect(stagingOf(at.root, newJournal('restore-1', staging))).toBe(staging);
  });

  it('is found where an older Tend put it when the journal does not say', () => {
    const { base, place: at } = place();
    const journal = { ...newJournal('restore-2', 'x'), staging: undefined };
    expect(stagingOf(at.root, journal)).toBe(path.join(base, '.assistant.tend-staging-restore-2'));
    expect(legacyStagingDir(at.root, 'restore-2')).toBe(stagingOf(at.root, journal));
  });

  it('in the state folder: swapped, rolled back and cleared from where the journal says', () => {
    const { place: at, stateDir } = place();
    fs.writeFileSync(path.join(at.root, 'notes.txt'), 'live');
    const staging = stagingFolder({ parent: stateDir, prefix: 'staging-' }, 'restore-3');
    makeStaging(staging);
    fs.writeFileSync(path.join(staging, 'new', 'notes.txt'), 'restored');
    const journal = {
      ...newJournal('restore-3', staging),
      phase: 'swapping' as const,
      ops: [{ path: 'notes.txt', action: 'replace' as const }],
    };
    writeJournal(at, journal);
    swapIn(at.root, journal);
    expect(fs.readFileSync(path.join(at.root, 'notes.txt'), 'utf8')).toBe('restored');
    expect(fs.readFileSync(path.join(staging, 'old', 'notes.txt'), 'utf8')).toBe('live');
    rollBack(at.root, journal);
    expect(fs.readFileSync(path.join(at.root, 'notes.txt'), 'utf8')).toBe('live');
    expect(leftoverStaging(at.root, stateDir)).toEqual([staging]);
    // A killed restore (its owner is this process's earlier self: not alive in another one).
    expect(recoverRestore(at)).toBe('rolled-back');
    expect(fs.existsSync(staging)).toBe(false);
    expect(fs.readdirSync(at.root)).toEqual(['notes.txt']);
  });
});
