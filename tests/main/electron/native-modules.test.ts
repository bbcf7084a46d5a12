import { createRequire } from 'node:module';
import Module from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  electronNativeCounterpart,
  electronNativeDir,
  nativeModuleNames,
  redirectNativeModules,
} from '../../../src-main/electron/native-modules';
import { tempDir, writeFile } from '../../support/temp-dir';

describe('electronNativeDir', () => {
  it('keeps each Electron version apart', () => {
    expect(electronNativeDir('/repo', '45.4.1')).toBe(
      path.join('/repo', '.electron-native', '45.4.1'),
    );
  });
});

describe('electronNativeCounterpart', () => {
  const nm = path.join('/repo', 'node_modules');
  const em = path.join('/repo', '.electron-native', '45.4.1', 'node_modules');

  it('lists the two native modules Tend uses', () => {
    expect([...nativeModuleNames]).toEqual(['better-sqlite3', 'hnswlib-node']);
  });

  it.each<[string, string, string | null]>([
    [
      'better-sqlite3 addon',
      path.join(nm, 'better-sqlite3/build/Release/better_sqlite3.node'),
      path.join(em, 'better-sqlite3/build/Release/better_sqlite3.node'),
    ],
    [
      'hnswlib-node addon',
      path.join(nm, 'hnswlib-node/build/Release/addon.node'),
      path.join(em, 'hnswlib-node/build/Release/addon.node'),
    ],
    ['JavaScript of a listed package', path.join(nm, 'better-sqlite3/lib/index.js'), null],
    ['an addon of another package', path.join(nm, 'fsevents/fsevents.node'), null],
    [
      'a package whose name only starts the same',
      path.join(nm, 'better-sqlite3-multiple-ciphers/build/Release/x.node'),
      null,
    ],
    ['an addon outside node_modules', '/elsewhere/better-sqlite3/build/Release/x.node', null],
    ['a package name as a plain file', path.join(nm, 'better-sqlite3.node'), null],
  ])('%s', (_name, resolved, expected) => {
    expect(electronNativeCounterpart(resolved, nm, em)).toBe(expected);
  });

  it('takes the list of names it is given', () => {
    const addon = path.join(nm, 'other/build/x.node');
    expect(electronNativeCounterpart(addon, nm, em, ['other'])).toBe(
      path.join(em, 'other/build/x.node'),
    );
    expect(electronNativeCounterpart(addon, nm, em, [])).toBeNull();
  });
});

describe('redirectNativeModules', () => {
  const loader = Module as unknown as { _resolveFilename: unknown };
  const original = loader._resolveFilename;
  let undo: (() => void) | null = null;

  afterEach(() => {
    undo?.();
    undo = null;
    // Whatever a test did, the next one starts with Node's own resolver.
    loader._resolveFilename = original;
  });

  /** A checkout with fake addons (empty files: only resolution is checked, nothing loads). */
  function checkout() {
    const base = tempDir();
    const nm = path.join(base, 'node_modules');
    const em = path.join(base, '.electron-native', '45.4.1', 'node_modules');
    const files = {
      sqlite: path.join(nm, 'better-sqlite3/build/Release/better_sqlite3.node'),
      sqliteElectron: path.join(em, 'better-sqlite3/build/Release/better_sqlite3.node'),
      hnsw: path.join(nm, 'hnswlib-node/build/Release/addon.node'),
      sqliteJs: path.join(nm, 'better-sqlite3/lib/index.js'),
      sqliteJsElectron: path.join(em, 'better-sqlite3/lib/index.js'),
      other: path.join(nm, 'other/build/Release/other.node'),
      otherElectron: path.join(em, 'other/build/Release/other.node'),
    };
    for (const file of Object.values(files)) writeFile(file, '');
    const req = createRequire(path.join(base, 'index.js'));
    return { nm, em, files, req };
  }

  it('resolves a listed addon to its Electron copy', () => {
    const { nm, em, files, req } = checkout();
    expect(req.resolve(files.sqlite)).toBe(files.sqlite);
    undo = redirectNativeModules(nm, em);
    expect(req.resolve(files.sqlite)).toBe(files.sqliteElectron);
  });

  it('keeps the Node build when no Electron copy exists', () => {
    const { nm, em, files, req } = checkout();
    undo = redirectNativeModules(nm, em);
    expect(req.resolve(files.hnsw)).toBe(files.hnsw);
  });

  it('leaves JavaScript and addons of other packages alone', () => {
    const { nm, em, files, req } = checkout();
    undo = redirectNativeModules(nm, em);
    expect(req.resolve(files.sqliteJs)).toBe(files.sqliteJs);
    expect(req.resolve(files.other)).toBe(files.other);
    expect(req.resolve('node:path')).toBe('node:path');
  });

  it('still fails for what does not exist', () => {
    const { nm, em, req } = checkout();
    undo = redirectNativeModules(nm, em);
    expect(() => req.resolve(path.join(nm, 'better-sqlite3/missing.node'))).toThrow(
      /Cannot find module/,
    );
  });

  it('redirects the names it is given', () => {
    const { nm, em, files, req } = checkout();
    undo = redirectNativeModules(nm, em, ['other']);
    expect(req.resolve(files.other)).toBe(files.otherElectron);
    expect(req.resolve(files.sqlite)).toBe(files.sqlite);
  });

  it('undo restores Node resolution', () => {
    const { nm, em, files, req } = checkout();
    const off = redirectNativeModules(nm, em);
    expect(loader._resolveFilename).not.toBe(original);
    off();
    expect(loader._resolveFilename).toBe(original);
    expect(req.resolve(files.sqlite)).toBe(files.sqlite);
  });
});
