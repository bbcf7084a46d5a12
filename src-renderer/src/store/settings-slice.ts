import type { Result, TendError } from '../../../src-shared/errors';
import { defaultSettings, type Settings } from '../../../src-shared/models/settings';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** The open root's settings, as the engine last said they are. */
export interface SettingsSlice {
  settings: Loadable<Settings>;
  /**
   * Why the defaults are shown instead of the file: it is not JSON or breaks the schema.
   * Saving replaces the file; the engine keeps a copy of the old one beside it.
   */
  settingsProblem: TendError | null;
  loadSettings(): Promise<void>;
  saveSettings(settings: Settings): Promise<Result<Settings>>;
  settingsChanged(settings: Settings): void;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, client) => ({
  settings: idle,
  settingsProblem: null,

  async loadSettings() {
    set({ settings: reloading(get().settings) });
    const result = await call(client, 'settings:get', {});
    if (result.ok) {
      set({ settings: { status: 'ready', value: result.value }, settingsProblem: null });
    } else if (
      result.error.code === 'SETTINGS_UNREADABLE' ||
      result.error.code === 'SETTINGS_INVALID'
    ) {
      set({
        settings: { status: 'ready', value: defaultSettings() },
        settingsProblem: result.error,
      });
    } else {
      set({ settings: { status: 'error', error: result.error, value: null } });
    }
  },

  async saveSettings(settings) {
    const result = await call(client, 'settings:set', { settings });
    if (result.ok) get().settingsChanged(result.value);
    return result;
  },

  settingsChanged: (settings) =>
    set({ settings: { status: 'ready', value: settings }, settingsProblem: null }),
});
