import type { TendClient } from '../../../src-shared/client';
import type { TendStore } from './store';

/** How often running jobs are asked about directly, in case an event was lost. */
const POLL_EVERY_MS = 2_000;

/**
 * Feeds the engine's events into the store; returns the function that stops.
 *
 * Events are the fast path; a slow poll of running jobs is the safety net for an event stream
 * that dropped and reconnected.
 */
export function connectStoreEvents(
  store: TendStore,
  client: TendClient,
  options: { pollEveryMs?: number } = {},
): () => void {
  const state = () => store.getState();
  const offs = [
    client.on('root:changed', (info) => state().rootChanged(info)),
    client.on('job:progress', (job) => state().jobProgressed(job)),
    client.on('job:finished', (job) => state().jobFinished(job)),
    client.on('settings:changed', (settings) => state().settingsChanged(settings)),
    // The tray's "Restore latest backup…" opens the one-click confirmation.
    client.on('restore:confirm-requested', () => state().openRestoreConfirm()),
  ];
  const every = options.pollEveryMs ?? POLL_EVERY_MS;
  const timer =
    every > 0
      ? setInterval(() => {
          if (Object.keys(state().runningJobs).length > 0) void state().pollRunningJobs();
        }, every)
      : null;
  return () => {
    offs.forEach((off) => off());
    if (timer) clearInterval(timer);
  };
}
