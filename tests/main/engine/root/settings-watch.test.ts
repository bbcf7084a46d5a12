import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../../src-main/engine/events';
import { updateSettings } from '../../../../src-main/engine/root/settings-file';
import { watchSettings } from '../../../../src-main/engine/root/settings-watch';
import type { Settings } from '../../../../src-shared/models/settings';
import { tempDir } from '../../../support/temp-dir';

describe('watchSettings', () => {
  it('tells of a save by another process, once, and not of the saves the engine told of', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '.tend'));
    const target = { root, file: path.join(root, '.tend/settings.json') };
    await updateSettings(target, { cleanup: { logRetentionDays: 9 } });
    const events = new EventBus();
    const heard: Settings[] = [];
    const watch = watchSettings(target.file, events, (settings) => heard.push(settings));
    try {
      // Another process (the CLI) saves.
      await updateSettings(target, { backup: { retention: { daily: 3 } } });
      await vi.waitFor(() => expect(heard.map((s) => s.revision)).toEqual([2]), {
        timeout: 5_000,
      });
      expect(heard[0]!.backup.retention.daily).toBe(3);

      // The engine's own save: it announces it itself; the watch stays quiet.
      const own = await updateSettings(target, { cleanup: { cacheMaxAgeDays: 4 } });
      events.emit('settings:changed', own);
      // Another save from elsewhere after it is heard, and only it.
      await updateSettings(target, { alerts: { weeklyGrowthFactor: 3 } });
      await vi.waitFor(() => expect(heard.map((s) => s.revision)).toEqual([2, 4]), {
        timeout: 5_000,
      });
    } finally {
      watch.close?.();
    }
  });
});
