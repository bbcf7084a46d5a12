import { describe, expect, it } from 'vitest';
import { repositoryOptions } from '../../bench/repository';

describe('repositoryOptions', () => {
  it.each([
    {
      argv: [],
      options: { size: 'small', pairs: 5, many: true, fromSources: false },
    },
    {
      argv: ['--only', 'repository'],
      options: { size: 'small', pairs: 5, many: true, fromSources: false },
    },
    {
      argv: ['medium', '--no-many'],
      options: { size: 'medium', pairs: 5, many: false, fromSources: false },
    },
    {
      argv: ['--quick'],
      options: { size: 'small', pairs: 3, many: false, fromSources: false },
    },
    {
      argv: ['--quick', '--pairs', '4', '--from-sources'],
      options: { size: 'small', pairs: 4, many: false, fromSources: true },
    },
    {
      argv: ['--pairs', '1'],
      options: { size: 'small', pairs: 1, many: true, fromSources: false },
    },
  ])('$argv', ({ argv, options }) => {
    expect(repositoryOptions(argv)).toEqual(options);
  });

  it.each([['--pairs'], ['--pairs', '0'], ['--pairs', '2.5'], ['--pairs', 'many']])(
    'refuses %s',
    (...argv) => {
      expect(() => repositoryOptions(argv)).toThrow('--pairs takes a whole number');
    },
  );
});
