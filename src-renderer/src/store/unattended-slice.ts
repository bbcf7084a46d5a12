import type { UnattendedStatus } from '../../../src-shared/models/unattended';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** Whether backups still happen without anyone (issue 15): what the Overview banner reads. */
export interface UnattendedSlice {
  unattended: Loadable<UnattendedStatus>;
  loadUnattended(): Promise<void>;
  /** Loads now and again on the news that may change it; returns the stop. */
  watchUnattended(): () => void;
}

export const createUnattendedSlice: SliceCreator<UnattendedSlice> = (set, get, client) => ({
  unattended: idle,

  async loadUnattended() {
    set({ unattended: reloading(get().unattended) });
    const result = await call(client, 'unattended:status', {});
    set({
      unattended: result.ok
        ? { status: 'ready', value: result.value }
        : { status: 'error', error: result.error, value: null },
    });
  },

  watchUnattended() {
    const reload = () => void get().loadUnattended();
    const offs = [
      client.on('unattended:changed', reload),
      client.on('backups:changed', reload),
      client.on('settings:changed', reload),
      client.on('root:changed', reload),
    ];
    reload();
    return () => offs.forEach((off) => off());
  },
});
