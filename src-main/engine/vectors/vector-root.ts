/**
 * What every part of the vectors domain of one root shares: the session, the event bus, where
 * assistant.db and `vector_store/` are, the indexes in memory and the running compactions.
 */
import type { EventBus } from '../events';
import type { RootSession } from '../root-session';
import { IndexCompactions } from './index-compaction';
import { LoadedIndexes } from './loaded-indexes';

/** The vectors domain's state of one open root. */
export class VectorRoot {
  /** The collections' indexes in memory. */
  readonly indexes: LoadedIndexes;
  /** Compaction jobs queued or running, one per collection. */
  readonly compactions: IndexCompactions;

  constructor(
    readonly session: RootSession,
    readonly events: EventBus,
  ) {
    this.compactions = new IndexCompactions(this);
    // An index that does not load, or disagrees with the database, is rebuilt by a compaction.
    this.indexes = new LoadedIndexes(this, (collection, reason) =>
      this.compactions.start(collection, reason),
    );
  }

  /** The root's assistant store; PROFILE_UNSUPPORTED for a profile that has none. */
  get store() {
    return this.session.assistant('Collections and their vector indexes');
  }

  /** The absolute path of assistant.db. */
  get dbPath(): string {
    return this.session.resolve(this.store.db);
  }

  /** The absolute `vector_store/` folder. */
  get vectorStore(): string {
    return this.session.resolve(this.store.vectorStore);
  }
}
