import { describe, expect, it } from 'vitest';
import { describeStoreCheckProgress } from '../../../src-shared/language/store-check-progress';

describe('describeStoreCheckProgress', () => {
  it.each([
    [{ filesDone: 0, filesTotal: null, bytesDone: 0 }, '0 stores'],
    [{ filesDone: 0, filesTotal: 1, bytesDone: 0 }, '0 of 1 store'],
    [{ filesDone: 3, filesTotal: 12, bytesDone: 0 }, '3 of 12 stores'],
    [
      { filesDone: 3, filesTotal: 12, bytesDone: 4.5 * 1024 * 1024 },
      '3 of 12 stores · 4.5 MiB read',
    ],
  ])('%o: %s', (progress, expected) => {
    expect(describeStoreCheckProgress(progress)).toBe(expected);
  });
});
