import { describe, expect, it } from 'vitest';
import {
  keepBothName,
  legacyTarget,
  settleConflict,
} from '../../../../src-main/engine/maintenance/legacy-plan';
import { nativeProfile } from '../../../../src-main/engine/profiles/native/native-profile';

describe('legacyTarget', () => {
  it.each([
    ['data/uploads/ent_1/report.pdf', 'local_data/internal_assistant/documents/ent_1/report.pdf'],
    ['data/logs/app.log', 'local_data/logs/legacy/app.log'],
    [
      'data/api_storage/entities.json',
      'local_data/internal_assistant/legacy/api_storage/entities.json',
    ],
    [
      'data/entity_scoped/entities/e/vector_store/index.faiss',
      'local_data/internal_assistant/legacy/entity_scoped/entities/e/vector_store/index.faiss',
    ],
  ])('%s → %s', (from, to) => expect(legacyTarget(from, nativeProfile.assistantStore!)).toBe(to));
});

describe('settleConflict', () => {
  it.each([
    ['ask', undefined, 2, 1, 'conflict'],
    ['keep-newer', undefined, 2, 1, 'replace'],
    ['keep-newer', undefined, 1, 2, 'keep-current'],
    ['keep-both', undefined, 1, 2, 'keep-both'],
    // The person's choice for one file wins over the plan's rule.
    ['ask', 'keep-current', 2, 1, 'keep-current'],
    ['keep-newer', 'keep-both', 2, 1, 'keep-both'],
  ] as const)('%s / %s (legacy %d, current %d) → %s', (rule, choice, legacy, current, expected) => {
    expect(settleConflict(rule, choice, legacy, current)).toBe(expected);
  });
});

describe('keepBothName', () => {
  it('adds a legacy suffix before the extension, numbered when taken', () => {
    expect(keepBothName('a/report.txt', () => false)).toBe('a/report (legacy).txt');
    const taken = new Set(['a/report (legacy).txt']);
    expect(keepBothName('a/report.txt', (c) => taken.has(c))).toBe('a/report (legacy 2).txt');
  });
});
