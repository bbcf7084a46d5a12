import { describe, expect, it } from 'vitest';
import { describeStoreCheckProgress } from '../../../src-shared/language/store-check-progress';

describe('describeStoreCheckProgress', () => {
  it.each([
    [{ filesDone: 0, filesTotal: null, bytesDone: 0, bytesTotal: null }, '0 stores'],
    [{ filesDone: 0, filesTotal: 1, bytesDone: 0, bytesTotal: 0 }, '0 of 1 store'],
    [{ filesDone: 3, filesTotal: 12, bytesDone: 0, bytesTotal: null }, '3 of 12 stores'],
    [
      { filesDone: 3, filesTotal: 12, bytesDone: 1024 * 1024, bytesTotal: 4 * 1024 * 1024 },
      '3 of 12 stores · 1 MiB of 4 MiB',
    ],
    [{ filesDone: 1, filesTotal: 2, bytesDone: 2048, bytesTotal: null }, '1 of 2 stores · 2 KiB'],
  ])('%o: %s', (progress, expected) => {
    expect(describeStoreCheckProgress(progress)).toBe(expected);
  });
});
