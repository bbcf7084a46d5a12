import { describe, expect, it } from 'vitest';
import { resolveLink } from '../../../../src-main/engine/fs/link-target';

/** A tree's links: path → target. */
const tree: Record<string, string> = {
  'docs/current': 'c1',
  'docs/up': '..',
  'docs/deep/a': '../../config',
  'config/escape': '/etc',
  'loop/a': 'b',
  'loop/b': 'a',
  'out/x': '../../..',
};
const linkAt = (relative: string) => tree[relative] ?? null;

describe('resolveLink', () => {
  it.each([
    // [link, target, inside, resolved or why]
    ['docs/latest.md', 'c1/a.md', true, 'docs/c1/a.md'],
    ['docs/latest.md', 'current/a.md', true, 'docs/c1/a.md'],
    ['config/here', '.', true, 'config'],
    ['config/root', '..', true, ''],
    ['config/via', '../docs/deep/a/settings.json', true, 'config/settings.json'],
    // `..` is taken from where the walk is, after a link: docs/deep/a is config, so config/..
    ['docs/deep/b', 'a/../docs', true, 'docs'],
    ['config/abs', '/etc/passwd', false, 'it points to /etc/passwd'],
    ['config/up', '../..', false, 'it leads out of the data folder (../..)'],
    ['docs/through', '../config/escape/passwd', false, 'it leads through config/escape to /etc'],
    ['docs/spin', '../loop/a', false, 'it is part of a loop of links'],
    ['docs/far', '../out/x', false, 'it leads out of the data folder (../out/x)'],
    ['docs/tend', '../.tend/catalog.db', false, "it leads into Tend's own folder"],
  ])('%s → %s: inside %s (%s)', (link, target, inside, detail) => {
    const resolved = resolveLink(link, target, linkAt);
    expect(resolved.inside).toBe(inside);
    expect(resolved.inside ? resolved.path : resolved.why).toBe(detail);
  });
});
