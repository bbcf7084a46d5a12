import type { AssistantStoreLayout } from '../profiles/profile';
import type { RootSession } from '../root-session';
import type { RootState } from '../root/root-state';

/**
 * Where maintenance works for one root: the assistant store's files in the data folder, and
 * Tend's own journals and salt in its state folder (never in the data folder).
 */
export interface MaintenanceRoot {
  /** The data root, absolute. */
  readonly root: string;
  /** The assistant store, root-relative. */
  readonly store: AssistantStoreLayout;
  readonly state: RootState;
}

/**
 * The maintenance root of an open session; PROFILE_UNSUPPORTED when its profile has no
 * assistant store (the analytics tiers, migrations and records are the assistant store's).
 */
export function maintenanceRootOf(session: RootSession): MaintenanceRoot {
  return {
    root: session.path,
    store: session.assistant(
      'The assistant database’s maintenance (migrations, analytics, records)',
    ),
    state: session.state,
  };
}

/** Root-relative paths the maintenance domain writes into the data folder. */
export function maintenancePathsOf(store: AssistantStoreLayout) {
  return {
    /** The warm tier: aggregates of interactions moved out of assistant.db. */
    historyDb: `${store.dir}/history.db`,
    /** The cold tier: compressed JSON Lines per month. */
    coldArchive: `${store.dir}/archive/interactions`,
    /**
     * Files a legacy migration set aside (a file in the way, a duplicate), one folder per
     * migration. They are the person's files: they stay in the data folder, backed up and
     * never cleaned, until the person deletes them.
     */
    legacySetAside: store.legacySetAside,
  } as const;
}
