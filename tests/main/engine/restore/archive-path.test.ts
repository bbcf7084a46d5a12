import { describe, expect, it } from 'vitest';
import {
  addAncestors,
  ancestorsOf,
  checkArchivePath,
  linkAbove,
  nameProblem,
  normalizeUserPath,
} from '../../../../src-main/engine/restore/archive-path';

describe('archive paths', () => {
  it.each([
    ['/etc/passwd', /absolute/],
    ['../x', /climbs out/],
    ['a/../../x', /climbs out/],
    ['a//b', /canonical/],
    ['./a', /canonical/],
    ['.tend/catalog.db', /Tend's own/],
    ['a\0b', /NUL/],
  ])('refuses %j as unsafe, whatever the system', (candidate, why) => {
    expect(() => checkArchivePath(candidate)).toThrow(why);
  });

  it.each(['config/Q1\\Q2 plan.txt', 'docs/C:notes.md', 'C:/not-a-drive-here', 'a\\..\\..\\x'])(
    'takes %j as a plain name',
    (candidate) => expect(checkArchivePath(candidate)).toBe(candidate),
  );

  it.each([
    // [path, linux, darwin, win32]
    ['config/Q1\\Q2 plan.txt', null, null, /not allow/],
    ['docs/C:notes.md', null, null, /not allow/],
    ['docs/CON.txt', null, null, /device name/],
    ['docs/trailing.', null, null, /dot or space/],
    ['docs/r\udce9sum\udce9.txt', null, /not UTF-8/, /not UTF-8/],
    ['docs/résumé.txt', null, null, null],
  ])('%j: Linux %s, macOS %s, Windows %s', (relative, linux, darwin, win32) => {
    const expectations: Array<[NodeJS.Platform, RegExp | null]> = [
      ['linux', linux],
      ['darwin', darwin],
      ['win32', win32],
    ];
    for (const [platform, problem] of expectations) {
      const found = nameProblem(relative, platform);
      if (problem) expect(found).toMatch(problem);
      else expect(found).toBeNull();
    }
  });

  it("reads a person's scope path, and calls a path out of the folder their bad input", () => {
    expect(normalizeUserPath('./config/settings.json/', 'linux')).toBe('config/settings.json');
    expect(normalizeUserPath('config\\a.yaml', 'linux')).toBe('config\\a.yaml');
    expect(normalizeUserPath('config\\a.yaml', 'win32')).toBe('config/a.yaml');
    for (const bad of ['../etc', '/etc', 'config/../../x', '.tend']) {
      expect(() => normalizeUserPath(bad, 'linux')).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });
});

describe('folders above a path', () => {
  it.each([
    ['a', []],
    ['a/b', ['a']],
    ['a/b/c.json', ['a', 'a/b']],
    ['x y/é/z', ['x y', 'x y/é']],
  ])('ancestorsOf(%j) is %j, outermost first', (relative, expected) => {
    expect(ancestorsOf(relative)).toEqual(expected);
  });

  it('addAncestors adds the folders above, stopping at one already known', () => {
    const dirs = new Set<string>();
    addAncestors('a/b/c/d.json', dirs);
    expect([...dirs]).toEqual(['a/b/c', 'a/b', 'a']);
    addAncestors('a/b/e/f.json', dirs);
    expect([...dirs].sort()).toEqual(['a', 'a/b', 'a/b/c', 'a/b/e']);
    addAncestors('top.json', dirs);
    expect(dirs.size).toBe(4);
  });

  it.each([
    ['a/b/c', ['a/b'], 'a/b'],
    ['a/b/c', ['a', 'a/b'], 'a'],
    ['a/b/c', ['a/b/c'], null],
    ['a/b/c', [], null],
    ['ab/c', ['a'], null],
  ])('linkAbove(%j, %j) is %j', (relative, links, expected) => {
    expect(linkAbove(relative, new Set(links))).toBe(expected);
  });

  it.each(['a/./b', 'a/.', 'a/', '..', 'a/..', '.'])('still refuses %j', (candidate) => {
    expect(() => checkArchivePath(candidate)).toThrow(/canonical|climbs out/);
  });

  it.each(['a/..b', 'a/.b', '...', 'a/b.'])('accepts the names %j', (candidate) => {
    expect(checkArchivePath(candidate)).toBe(candidate);
  });
});
