import { describe, expect, it } from 'vitest';
import { suites } from '../../bench/suites';

describe('the bench suites', () => {
  it('include start-up, the repository, PostgreSQL, health and profile detection beside the others', () => {
    expect(Object.keys(suites)).toEqual(
      expect.arrayContaining([
        'startup',
        'usage',
        'backup',
        'restore',
        'vectors',
        'maintenance',
        'repository',
        'postgres',
        'health',
        'profiles',
      ]),
    );
  });

  it.each(Object.keys(suites))('%s loads, says what it measures and can run', async (name) => {
    const suite = await suites[name]!();
    expect(suite.description.length).toBeGreaterThan(20);
    expect(typeof suite.run).toBe('function');
  });
});
