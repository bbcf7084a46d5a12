import type { InputOf, OutputOf } from '../../../src-shared/contract';
import type { Result } from '../../../src-shared/errors';
import type { BackupKind } from '../../../src-shared/models/backup-manifest';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  DestinationTest,
  RepositoryCreated,
  RepositoryKey,
  RepositoryStatus,
} from '../../../src-shared/models/repository';
import { call } from './call';
import { idle, reloading, valueOf, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/**
 * The open root's encrypted repository (issue 12): where it is, its passphrase for this
 * session, creating it, and its snapshots for the Backups page.
 */
export interface RepositorySlice {
  repositoryStatus: Loadable<RepositoryStatus>;
  repositorySnapshots: Loadable<OutputOf<'repository:snapshots'>>;
  loadRepositoryStatus(): Promise<void>;
  testRepository(input: InputOf<'repository:test'>): Promise<Result<DestinationTest>>;
  setRepository(input: InputOf<'repository:set'>): Promise<Result<RepositoryStatus>>;
  createRepository(passphrase: string | null): Promise<Result<RepositoryCreated>>;
  unlockRepository(passphrase: string): Promise<Result<RepositoryStatus>>;
  /** Forgets the kept SFTP login password; the destination stays. */
  forgetSftpPassword(): Promise<Result<RepositoryStatus>>;
  loadRepositorySnapshots(): Promise<void>;
  /** The repository's keys; the current one is the key this app opens it with. */
  repositoryKeys: Loadable<ReadonlyArray<RepositoryKey>>;
  loadRepositoryKeys(): Promise<void>;
  /** Adds a key (the passphrase given, or a generated one answered once); no data is rewritten. */
  addRepositoryKey(passphrase: string | null): Promise<Result<OutputOf<'repository:key-add'>>>;
  /** Removes a key; the one in use is refused. */
  removeRepositoryKey(id: string): Promise<Result<OutputOf<'repository:key-remove'>>>;
  backUpToRepository(kind: Extract<BackupKind, 'critical' | 'full'>): Promise<Result<JobRecord>>;
  /** Checks the repository (a job): quick, every pack there with its size; full, every blob read. */
  verifyRepository(mode: 'quick' | 'full'): Promise<Result<JobRecord>>;
  /** Thins out the snapshots by the retention in settings, then frees what they alone held (a job). */
  thinOutRepository(): Promise<Result<JobRecord>>;
  /**
   * Reloads the snapshots when a job that can change them (a backup, a retention run) ends,
   * while a page shows them; returns the stop.
   */
  watchRepository(): () => void;
}

/** Job kinds whose end can change the repository's snapshots. */
const snapshotJobKinds = new Set(['backup', 'prune']);

export const createRepositorySlice: SliceCreator<RepositorySlice> = (set, get, client) => {
  const statusAnswered = (result: Result<RepositoryStatus>) => {
    if (result.ok) set({ repositoryStatus: { status: 'ready', value: result.value } });
    return result;
  };
  return {
    repositoryStatus: idle,
    repositorySnapshots: idle,
    repositoryKeys: idle,

    async loadRepositoryStatus() {
      set({ repositoryStatus: reloading(get().repositoryStatus) });
      const result = await call(client, 'repository:status', {});
      set({
        repositoryStatus: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error, value: null },
      });
    },

    testRepository: (input) => call(client, 'repository:test', input),

    async setRepository(input) {
      return statusAnswered(await call(client, 'repository:set', input));
    },

    async createRepository(passphrase) {
      const result = await call(client, 'repository:init', { passphrase });
      if (result.ok) await get().loadRepositoryStatus();
      return result;
    },

    async forgetSftpPassword() {
      return statusAnswered(await call(client, 'repository:forget-sftp-password', {}));
    },

    async unlockRepository(passphrase) {
      const result = statusAnswered(await call(client, 'repository:unlock', { passphrase }));
      // Another passphrase may open another key: which one is this app's changes.
      if (result.ok && get().repositoryKeys.status !== 'idle') await get().loadRepositoryKeys();
      return result;
    },

    async loadRepositoryKeys() {
      set({ repositoryKeys: reloading(get().repositoryKeys) });
      const result = await call(client, 'repository:keys', {});
      set({
        repositoryKeys: result.ok
          ? { status: 'ready', value: result.value.keys }
          : { status: 'error', error: result.error, value: null },
      });
    },

    async addRepositoryKey(passphrase) {
      const result = await call(client, 'repository:key-add', { passphrase });
      if (result.ok) await get().loadRepositoryKeys();
      return result;
    },

    async removeRepositoryKey(id) {
      const result = await call(client, 'repository:key-remove', { id });
      if (result.ok) set({ repositoryKeys: { status: 'ready', value: result.value.keys } });
      return result;
    },

    async loadRepositorySnapshots() {
      set({ repositorySnapshots: reloading(get().repositorySnapshots) });
      const result = await call(client, 'repository:snapshots', {});
      set({
        repositorySnapshots: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error, value: null },
      });
    },

    async backUpToRepository(kind) {
      const result = await call(client, 'repository:backup', { kind });
      if (result.ok) get().jobProgressed(result.value);
      return result;
    },

    async verifyRepository(mode) {
      const result = await call(client, 'repository:verify', { mode });
      if (result.ok) get().jobProgressed(result.value);
      return result;
    },

    async thinOutRepository() {
      const result = await call(client, 'repository:forget', {});
      if (result.ok) get().jobProgressed(result.value);
      return result;
    },

    watchRepository() {
      const reloadIfOpen = () => {
        const status = valueOf(get().repositoryStatus);
        if (status?.destination && status.passphraseKnown) void get().loadRepositorySnapshots();
      };
      return client.on('job:finished', (job) => {
        if (snapshotJobKinds.has(job.kind)) reloadIfOpen();
      });
    },
  };
};
