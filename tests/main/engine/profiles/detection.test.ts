/**
 * Profile detection: weights combine, the best profile wins only when it is sure enough and
 * alone, and a folder of something else (a home, an empty folder, another app's) is "not an
 * assistant folder" without its tree being walked.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProfileMatch } from '../../../../src-shared/models/profiles';
import {
  combinedConfidence,
  detectProfiles,
  markerPresent,
  verdictOf,
} from '../../../../src-main/engine/profiles/detection';
import { nativeProfile } from '../../../../src-main/engine/profiles/native/native-profile';
import type { Profile, ProfileMarker } from '../../../../src-main/engine/profiles/profile';
import { detectProfile, profiles } from '../../../../src-main/engine/profiles/registry';
import { tempDir, writeFile } from '../../../support/temp-dir';

afterEach(() => {
  vi.restoreAllMocks();
});

const match = (profile: string, confidence: number): ProfileMatch => ({
  profile,
  name: profile,
  confidence,
  markers: [],
});

/** A profile that is the native one but for its id and markers. */
const fakeProfile = (id: string, markers: ProfileMarker[]): Profile => ({
  ...nativeProfile,
  id,
  name: id,
  markers,
});

describe('combinedConfidence', () => {
  it.each([
    [[], 0],
    [[0], 0],
    [[0.6], 0.6],
    [[0.5, 0.5], 0.75],
    [[0.9, 0.6, 0.6], 1 - 0.1 * 0.4 * 0.4],
    [[1, 0.2], 1],
    [[0.1, 0.1, 0], 1 - 0.81],
  ])('weights %j give %f', (weights, expected) => {
    expect(combinedConfidence(weights)).toBeCloseTo(expected, 10);
  });
});

describe('verdictOf', () => {
  it.each([
    ['nothing found', [match('a', 0), match('b', 0)], null, /Nothing/],
    ['only weak signs', [match('a', 0.3)], null, /weak signs/],
    ['a tie at the top', [match('a', 0.75), match('b', 0.75)], null, /as much like/],
    ['one clear winner', [match('a', 0.6), match('b', 0.59)], 'a', null],
    ['a winner listed second', [match('b', 0.2), match('a', 0.96)], 'a', null],
  ])('%s', (_name, matches, detected, reason) => {
    const verdict = verdictOf(matches);
    expect(verdict.detected?.profile ?? null).toBe(detected);
    if (reason) expect(verdict.reason).toMatch(reason);
    else expect(verdict.reason).toBeNull();
  });
});

describe('markerPresent', () => {
  const marker = (p: string, shape: ProfileMarker['shape']): ProfileMarker => ({
    path: p,
    what: p,
    shape,
    weight: 1,
  });

  it('tells a SQLite database from a file that only has its name', async () => {
    const folder = tempDir();
    const db = new Database(path.join(folder, 'real.db'));
    db.exec('CREATE TABLE t (x)');
    db.close();
    writeFile(path.join(folder, 'fake.db'), 'not a database at all, just text');
    writeFile(path.join(folder, 'empty.db'), '');
    expect(await markerPresent(folder, marker('real.db', 'sqlite'))).toBe(true);
    expect(await markerPresent(folder, marker('fake.db', 'sqlite'))).toBe(false);
    expect(await markerPresent(folder, marker('empty.db', 'sqlite'))).toBe(false);
    expect(await markerPresent(folder, marker('missing.db', 'sqlite'))).toBe(false);
  });

  it.each([
    ['{"entities": []}', true],
    ['\uFEFF  [1, 2]', true],
    ['plain text', false],
    ['', false],
  ])('a json marker holding %j is present: %s', async (text, present) => {
    const folder = tempDir();
    writeFile(path.join(folder, 'store.json'), text);
    expect(await markerPresent(folder, marker('store.json', 'json'))).toBe(present);
  });

  it('tells folders from files', async () => {
    const folder = tempDir();
    fs.mkdirSync(path.join(folder, 'dir'));
    writeFile(path.join(folder, 'file'), 'x');
    expect(await markerPresent(folder, marker('dir/', 'folder'))).toBe(true);
    expect(await markerPresent(folder, marker('file', 'folder'))).toBe(false);
    expect(await markerPresent(folder, marker('file', 'file'))).toBe(true);
    expect(await markerPresent(folder, marker('dir', 'file'))).toBe(false);
  });
});

describe('detectProfile', () => {
  it('names the native profile from its database, indexes or documents, or the old layout', async () => {
    for (const relative of [
      'local_data/internal_assistant/vector_store/notes/',
      'local_data/internal_assistant/documents/',
      'data/api_storage/',
      'data/vector_indexes/',
    ]) {
      const folder = tempDir();
      fs.mkdirSync(path.join(folder, relative), { recursive: true });
      const detection = await detectProfile(folder);
      expect(detection.detected, relative).toBe('native');
      expect(detection.matches[0]!.confidence).toBeGreaterThanOrEqual(0.5);
    }
    const folder = tempDir();
    const db = new Database(path.join(folder, 'x.db'));
    db.exec('CREATE TABLE t (x)');
    db.close();
    writeFile(path.join(folder, 'local_data/internal_assistant/assistant.db'));
    fs.copyFileSync(
      path.join(folder, 'x.db'),
      path.join(folder, 'local_data/internal_assistant/assistant.db'),
    );
    const detection = await detectProfile(folder);
    expect(detection.detected).toBe('native');
    expect(detection.matches[0]!.markers.filter((m) => m.present).map((m) => m.path)).toEqual([
      'local_data/internal_assistant/assistant.db',
    ]);
  });

  it('does not take a file named assistant.db that is no database for the assistant’s', async () => {
    const folder = tempDir();
    writeFile(path.join(folder, 'local_data/internal_assistant/assistant.db'), 'hello');
    const detection = await detectProfile(folder);
    expect(detection.detected).toBeNull();
  });

  it('says "not an assistant folder" for an empty folder, a config folder and logs alone', async () => {
    const empty = tempDir();
    expect((await detectProfile(empty)).detected).toBeNull();
    const weak = tempDir();
    fs.mkdirSync(path.join(weak, 'config'));
    fs.mkdirSync(path.join(weak, 'local_data/logs'), { recursive: true });
    fs.mkdirSync(path.join(weak, 'local_data/models'), { recursive: true });
    const detection = await detectProfile(weak);
    expect(detection.detected).toBeNull();
    expect(detection.reason).toMatch(/weak signs/);
  });

  it('answers for a home of many files by looking at its markers only, never walking it', async () => {
    const home = tempDir();
    for (let folder = 0; folder < 40; folder++) {
      for (let file = 0; file < 100; file++) {
        writeFile(path.join(home, `project-${folder}`, 'src', `file-${file}.txt`), 'x');
      }
    }
    fs.mkdirSync(path.join(home, '.config/some-app'), { recursive: true });
    writeFile(path.join(home, 'Documents/report.pdf'), 'pdf');
    const readdir = vi.spyOn(fsp, 'readdir');
    const detection = await detectProfile(home);
    expect(detection.detected).toBeNull();
    expect(detection.matches.map((m) => m.profile).sort()).toEqual(
      profiles.map((p) => p.id).sort(),
    );
    expect(readdir).not.toHaveBeenCalled();
  });

  it('never settles a tie between two profiles by a guess', async () => {
    const folder = tempDir();
    fs.mkdirSync(path.join(folder, 'shared/'), { recursive: true });
    const a = fakeProfile('a', [{ path: 'shared/', what: 'x', shape: 'folder', weight: 0.7 }]);
    const b = fakeProfile('b', [{ path: 'shared/', what: 'x', shape: 'folder', weight: 0.7 }]);
    const detection = await detectProfiles(folder, [a, b]);
    expect(detection.detected).toBeNull();
    expect(detection.reason).toMatch(/Choose the profile by hand/);
    const c = fakeProfile('c', [
      { path: 'shared/', what: 'x', shape: 'folder', weight: 0.7 },
      { path: 'shared/', what: 'again', shape: 'folder', weight: 0.2 },
    ]);
    expect((await detectProfiles(folder, [a, b, c])).detected).toBe('c');
  });

  it('writes nothing into the folder it looks at', async () => {
    const folder = tempDir();
    fs.mkdirSync(path.join(folder, 'local_data/internal_assistant/documents'), {
      recursive: true,
    });
    const before = fs.readdirSync(folder, { recursive: true }).sort();
    await detectProfile(folder);
    expect(fs.readdirSync(folder, { recursive: true }).sort()).toEqual(before);
  });
});
