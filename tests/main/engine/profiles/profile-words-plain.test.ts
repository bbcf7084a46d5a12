import { describe, expect, it } from 'vitest';
import { profiles } from '../../../../src-main/engine/profiles/registry';

describe('what a profile tells a person', () => {
  it.each(profiles.map((profile) => [profile.id, profile] as const))(
    '%s: its summary and move notes name no internal spec ("seed 000")',
    (_id, profile) => {
      const texts = [profile.summary, ...(profile.dataLocation ?? []).map((entry) => entry.note)];
      for (const text of texts) expect(text).not.toMatch(/\bseed \d{3}\b/i);
    },
  );
});
