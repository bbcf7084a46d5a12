import { layout } from '../root/layout';

/** Root-relative paths the maintenance domain writes. */
export const maintenancePaths = {
  /** The warm tier: aggregates of interactions moved out of assistant.db. */
  historyDb: `${layout.assistantDir}/history.db`,
  /** The cold tier: compressed JSON Lines per month. */
  coldArchive: `${layout.assistantDir}/archive/interactions`,
  /** The journal of a legacy migration (and what it set aside, kept for undo). */
  legacyJournal: `${layout.tend}/legacy-migration/journal.json`,
  legacySetAside: `${layout.tend}/legacy-migration/set-aside`,
  /** The journal and the online copy of assistant.db taken before a schema migration. */
  schemaJournal: `${layout.tend}/schema-migration/journal.json`,
  schemaCopy: `${layout.tend}/schema-migration/assistant.db.pre`,
  /** The salt of the privacy scrub's hashes; never backed up with the data. */
  scrubSalt: `${layout.tend}/scrub-salt`,
} as const;
