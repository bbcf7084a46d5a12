import fs from 'node:fs/promises';
import type { UsageWatch } from '../../../src-shared/models/usage';
import { TEND_DIR } from '../root/category-rules';
import { addChanges, noChanges, type FolderChanges, type WatchedChange } from './folder-changes';

/** How a watcher is started: @parcel/watcher's `subscribe`, or a stand-in in tests. */
export type SubscribeFn = (
  root: string,
  listener: (error: Error | null, changes: WatchedChange[]) => void,
  options: { ignore: string[] },
) => Promise<{ unsubscribe(): Promise<void> }>;

/** How a usage watcher runs. */
export interface UsageWatcherOptions {
  root: string;
  /** Called with the folders that changed, at most once a debounce window. */
  onChanges: (changes: FolderChanges) => void;
  /** The watcher to use; @parcel/watcher unless given. */
  subscribe?: () => Promise<SubscribeFn>;
  /** Quiet time after the last change before the update runs (ms). */
  debounceMs?: number;
  /** The longest a change waits while changes keep coming (ms): the Overview's lag. */
  maxWaitMs?: number;
  /** Where nothing can be watched: how often the folder is measured again instead (ms). */
  pollMs?: number;
  /** While watching: how often a rescan puts right what the watcher may have lost (ms). */
  resyncMs?: number;
}

/** The figures of a one-off measure (the CLI): nothing watches the folder. */
export const ONE_OFF_WATCH: UsageWatch = {
  live: false,
  why: 'Measured once: the desktop app and tend serve keep these figures live.',
};

/**
 * Network file systems by their statfs type (Linux): changes made by another machine are not
 * reported there, so a watcher would show a folder that has stopped changing.
 */
const NETWORK_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x6969, 'NFS'],
  [0x517b, 'SMB'],
  [0xff534d42, 'CIFS'],
  [0xfe534d42, 'SMB2'],
  [0x01021997, '9P'],
  [0x5346414f, 'AFS'],
  [0x00c36400, 'Ceph'],
  [0x73757245, 'Coda'],
]);

const POLL_MS = 30_000;
/**
 * @parcel/watcher drops the kernel's queue-overflow notice on Linux (inotify's
 * IN_Q_OVERFLOW, past fs.inotify.max_queued_events) without telling its caller, so a storm of
 * writes can lose changes silently: a rescan this often (it reuses unchanged folders) bounds
 * how long a figure can stay wrong.
 */
const RESYNC_MS = 15 * 60_000;

/** @parcel/watcher's subscribe, loaded only when a root is watched (it is a native module). */
async function parcelSubscribe(): Promise<SubscribeFn> {
  // A CommonJS module: its exports are the default export under ESM, and named too under tsx.
  const loaded = await import('@parcel/watcher');
  const watcher = loaded.default ?? loaded;
  return (root, listener, options) => watcher.subscribe(root, listener, options);
}

/**
 * Watches a data root so its usage map follows writes: changes are gathered into the folders
 * they touch and handed over once the folder is quiet for `debounceMs` (or after `maxWaitMs`
 * while writes keep coming), so a burst of writes, a restore or a cleanup, costs one update
 * per window, not one a file. Tend's own `.tend/` is not watched.
 *
 * Where it cannot watch (the native module does not load, the system's limit on watches is
 * reached, a network file system) it asks for a rescan every `pollMs` instead, and `status`
 * says why, for the usage answer.
 *
 * Why @parcel/watcher: one native watch per tree on Linux (inotify), macOS (FSEvents) and
 * Windows, events batched in native code, ignore globs, used by VS Code and Parcel. Node's own
 * `fs.watch` is recursive on Linux only from Node 20 and reports names, not what happened.
 */
export class UsageWatcher {
  private pending = noChanges();
  private firstPendingAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private poll: NodeJS.Timeout | null = null;
  private subscription: { unsubscribe(): Promise<void> } | null = null;
  private closed = false;
  private state: UsageWatch = { live: false, why: 'Starting to watch the data folder.' };

  private constructor(private readonly options: UsageWatcherOptions) {}

  /** Starts watching (or polling, where it cannot watch); never throws. */
  static async start(options: UsageWatcherOptions): Promise<UsageWatcher> {
    const watcher = new UsageWatcher(options);
    await watcher.begin();
    return watcher;
  }

  /** Whether changes are followed live, and why not. */
  get status(): UsageWatch {
    return this.state;
  }

  private async begin(): Promise<void> {
    const network = await networkFileSystem(this.options.root);
    if (network) {
      return this.fallBack(
        `The data folder is on a network file system (${network}), where changes are not reported`,
      );
    }
    try {
      const subscribe = await (this.options.subscribe ?? parcelSubscribe)();
      const subscription = await subscribe(
        this.options.root,
        (error, changes) => this.saw(error, changes),
        { ignore: [TEND_DIR] },
      );
      if (this.closed) {
        await subscription.unsubscribe();
        return;
      }
      this.subscription = subscription;
      this.state = { live: true, why: null };
      this.poll = setInterval(
        () => this.options.onChanges({ ...noChanges(), rescan: true }),
        this.options.resyncMs ?? RESYNC_MS,
      );
      this.poll.unref();
    } catch (error) {
      this.fallBack(reasonOf(error));
    }
  }

  private fallBack(reason: string): void {
    if (this.closed) return;
    const pollMs = this.options.pollMs ?? POLL_MS;
    this.state = {
      live: false,
      why: `${reason}; it is measured again every ${Math.round(pollMs / 1000)} s instead.`,
    };
    this.poll = setInterval(() => this.options.onChanges({ ...noChanges(), rescan: true }), pollMs);
    this.poll.unref();
  }

  private saw(error: Error | null, changes: ReadonlyArray<WatchedChange>): void {
    if (this.closed) return;
    // An error here is events lost (a full queue): only a rescan is exact again.
    if (error) this.pending.rescan = true;
    else addChanges(this.pending, this.options.root, changes);
    const { rescan, folders, files } = this.pending;
    if (!rescan && folders.size === 0 && files.size === 0) return;
    const now = Date.now();
    if (this.timer === null) this.firstPendingAt = now;
    else clearTimeout(this.timer);
    const maxWait = this.options.maxWaitMs ?? 600;
    const wait = Math.min(this.options.debounceMs ?? 150, this.firstPendingAt + maxWait - now);
    this.timer = setTimeout(() => this.hand(), Math.max(0, wait));
    this.timer.unref();
  }

  private hand(): void {
    this.timer = null;
    const changes = this.pending;
    this.pending = noChanges();
    if (!this.closed) this.options.onChanges(changes);
  }

  /** Stops watching; changes not yet handed over are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.poll) clearInterval(this.poll);
    this.timer = null;
    this.poll = null;
    const subscription = this.subscription;
    this.subscription = null;
    this.state = { live: false, why: 'The data folder was closed.' };
    await subscription?.unsubscribe().catch(() => undefined);
  }
}

/** The network file system the root is on, by name, or null. */
async function networkFileSystem(root: string): Promise<string | null> {
  const stat = await fs.statfs(root).catch(() => null);
  return stat ? (NETWORK_FILE_SYSTEMS.get(stat.type) ?? null) : null;
}

/** Why watching failed, in words a person can act on. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOSPC|No space left|max_user_watches|too many/i.test(message)) {
    return 'The system limit on watched folders is reached (on Linux, raise fs.inotify.max_user_watches)';
  }
  if (/Cannot find module|could not load|invalid ELF|was compiled against/i.test(message)) {
    return `The file watcher could not be loaded here (${message.split('\n')[0]})`;
  }
  return `The data folder cannot be watched (${message.split('\n')[0]})`;
}
