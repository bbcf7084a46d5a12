import type { Result, TendError } from '../../../src-shared/errors';
import {
  defaultSettings,
  type Settings,
  type SettingsPatch,
} from '../../../src-shared/models/settings';
import { call } from './call';
import { idle, reloading, valueOf, type Loadable } from './loadable';
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
  /**
   * Saves a change: only the fields in `patch`, from the revision it carries. When the file
   * was saved elsewhere meanwhile (SETTINGS_CONFLICT) the settings are read again, so the page
   * shows what is saved now and the person can save their change on top.
   */
  saveSettings(patch: SettingsPatch): Promise<Result<Settings>>;
  /** Settings saved here or elsewhere; an older revision than the one shown is old news. */
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

  async saveSettings(patch) {
    const result = await call(client, 'settings:set', { settings: patch });
    if (result.ok) get().settingsChanged(result.value);
    else if (result.error.code === 'SETTINGS_CONFLICT') await get().loadSettings();
    return result;
  },

  settingsChanged(settings) {
    const shown = valueOf(get().settings);
    // A save's answer and its event can arrive in either order; the newer one wins.
    if (shown && !get().settingsProblem && settings.revision < shown.revision) return;
    set({ settings: { status: 'ready', value: settings }, settingsProblem: null });
    // The Backups page's destination panel describes the folder in the settings: a new folder
    // is described again now, whether or not that page is shown (it reads it when it opens).
    const destinationMoved = shown?.backup.destination !== settings.backup.destination;
    if (destinationMoved && get().backupDestination.status !== 'idle') {
      void get().loadBackupDestination();
    }
  },
});
