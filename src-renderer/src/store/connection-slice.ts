import type { Result } from '../../../src-shared/errors';
import { call } from './call';
import type { SliceCreator, TendState } from './slice';

/**
 * Whether the page can talk to Tend. In the desktop app it always can; a page served by
 * `tend serve` loses Tend when the host stops, and its key when the host starts again.
 */
export type Connection =
  | { readonly status: 'online' }
  /** The host does not answer; the page asks again every few seconds. */
  | { readonly status: 'stopped'; readonly since: string; readonly message: string }
  /** The host answers but refuses the page's key: it was restarted, and made a new one. */
  | { readonly status: 'stale-key'; readonly message: string }
  /** The host answers but the page was opened without a key. */
  | { readonly status: 'no-key'; readonly message: string };

/** The page's link to Tend, noticed from every answer, said once for the whole page. */
export interface ConnectionSlice {
  connection: Connection;
  /** Called with every answer the client gives: a stopped host or a refused key shows here. */
  callAnswered(result: Result<unknown>): void;
  /** Asks whether Tend is there (after the event stream failed, and while it is stopped). */
  probeConnection(): Promise<void>;
}

/** How often a stopped host is asked again. */
export const RETRY_EVERY_MS = 3_000;

// What each page loads, by the state it keeps: reloaded when the host is back, if it was asked.
const reloaders: ReadonlyArray<[keyof TendState, (state: TendState) => Promise<void>]> = [
  ['usage', (s) => s.loadUsage()],
  ['settings', (s) => s.loadSettings()],
  ['backups', (s) => s.loadBackups()],
  ['backupDestination', (s) => s.loadBackupDestination()],
  ['restoreBackups', (s) => s.loadRestoreBackups()],
  ['lastRestore', (s) => s.loadLastRestore()],
  ['indexCollections', (s) => s.loadIndexes()],
  ['maintenanceSchedules', (s) => s.loadMaintenance()],
  ['usageTree', (s) => s.loadUsageTree()],
  ['usageHistory', (s) => s.loadUsageHistory()],
  ['reclaimable', (s) => s.loadReclaimable()],
];

export function createConnectionSlice(options: {
  retryEveryMs?: number;
}): SliceCreator<ConnectionSlice> {
  return (set, get, client) => {
    let retry: ReturnType<typeof setTimeout> | null = null;
    const every = options.retryEveryMs ?? RETRY_EVERY_MS;

    function scheduleProbe(): void {
      if (retry !== null || every <= 0) return;
      retry = setTimeout(() => {
        retry = null;
        void get().probeConnection();
      }, every);
    }

    /** Everything the pages showed is asked again: what changed meanwhile shows. */
    function refreshAll(): void {
      const state = get();
      void state.loadRoot();
      void state.loadJobs();
      for (const [key, reload] of reloaders) {
        const value = state[key] as { status?: string } | undefined;
        if (value?.status !== undefined && value.status !== 'idle') void reload(state);
      }
    }

    return {
      connection: { status: 'online' },

      callAnswered(result) {
        const before = get().connection;
        const code = result.ok ? null : result.error.code;
        if (result.ok || (code !== 'HOST_UNREACHABLE' && code !== 'UNAUTHORIZED')) {
          // Any answer of the engine, even an error, means Tend is there.
          if (before.status !== 'online') {
            set({ connection: { status: 'online' } });
            refreshAll();
          }
          return;
        }
        const { message, details } = result.error;
        if (code === 'HOST_UNREACHABLE') {
          if (before.status === 'online') {
            set({ connection: { status: 'stopped', since: new Date().toISOString(), message } });
          }
          if (get().connection.status === 'stopped') scheduleProbe();
          return;
        }
        const reason = (details as { reason?: unknown } | undefined)?.reason;
        set({
          connection:
            reason === 'no-key' ? { status: 'no-key', message } : { status: 'stale-key', message },
        });
      },

      async probeConnection() {
        // The answer reaches callAnswered like any other, which says what it means.
        await call(client, 'root:info', {});
      },
    };
  };
}
