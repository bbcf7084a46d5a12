import type { UsageSummary } from '../../../src-shared/models/root';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** What fills the open root, by category. */
export interface UsageSlice {
  usage: Loadable<UsageSummary>;
  loadUsage(): Promise<void>;
}

export const createUsageSlice: SliceCreator<UsageSlice> = (set, get, client) => ({
  usage: idle,

  async loadUsage() {
    set({ usage: reloading(get().usage) });
    const result = await call(client, 'usage:summary', {});
    set({
      usage: result.ok
        ? { status: 'ready', value: result.value }
        : { status: 'error', error: result.error, value: null },
    });
  },
});
