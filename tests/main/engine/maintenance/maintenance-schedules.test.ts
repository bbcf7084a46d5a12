import { describe, expect, it } from 'vitest';
import { maintenanceSchedules } from '../../../../src-main/engine/maintenance/maintenance-schedules';
import type { EngineServices } from '../../../../src-main/engine/engine-services';
import type { RootSession } from '../../../../src-main/engine/root-session';
import type { Settings } from '../../../../src-shared/models/settings';

/** A session of `profile` seen only as far as the schedule list reads it. */
function sessionOf(profile: string, hasAssistantStore: boolean): RootSession {
  return {
    profile: { id: profile },
    assistantStore: hasAssistantStore
      ? { dir: 'local_data/internal_assistant', db: 'local_data/internal_assistant/assistant.db' }
      : null,
  } as unknown as RootSession;
}

describe('maintenanceSchedules', () => {
  it.each([
    ['native', true, ['maintenance.scrub', 'maintenance.archival']],
    // The archival anonymises there: no separate scrub to list or run.
    ['analytics', false, ['maintenance.archival']],
    // No assistant store and no analytics tiers: neither job has anything to work on.
    ['ollama', false, []],
  ] as const)(
    'on a folder of the %s profile lists only the schedules that apply there',
    (profile, store, ids) => {
      const entries = maintenanceSchedules(
        sessionOf(profile, store),
        {} as EngineServices,
        {} as Settings,
      );
      expect(entries.map((entry) => entry.id)).toEqual(ids);
    },
  );
});
