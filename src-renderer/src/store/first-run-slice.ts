import type { TendError } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import { call } from './call';
import type { SliceCreator } from './slice';

/** Where "Try it with demo data" stands. */
export type DemoState =
  | { readonly status: 'idle' }
  | { readonly status: 'starting' }
  | { readonly status: 'running'; readonly jobId: string }
  | { readonly status: 'failed'; readonly error: TendError };

/**
 * The first-run page: shown while no root is open, and kept up while a demo root is written
 * (the engine opens the demo root at once, but Overview only makes sense once it is full).
 */
export interface FirstRunSlice {
  firstRun: { readonly active: boolean; readonly demo: DemoState };
  beginFirstRun(): void;
  endFirstRun(): void;
  /** Another window or process opened a root: leave the first run unless a demo is running. */
  rootOpenedElsewhere(): void;
  /** Writes a small demo root at `path` as a job, then opens Overview. */
  startDemo(path: string): Promise<void>;
  /** Called by the jobs slice when any job ends. */
  demoJobEnded(job: JobRecord): void;
}

/** The seed of the demo the first-run page writes; any fixed number gives the same data. */
export const FIRST_RUN_DEMO_SEED = 1;

export const createFirstRunSlice: SliceCreator<FirstRunSlice> = (set, get, client) => ({
  firstRun: { active: false, demo: { status: 'idle' } },

  beginFirstRun: () => set({ firstRun: { active: true, demo: { status: 'idle' } } }),

  endFirstRun() {
    set({ firstRun: { active: false, demo: { status: 'idle' } } });
    get().navigate('overview');
  },

  rootOpenedElsewhere() {
    const { active, demo } = get().firstRun;
    if (active && demo.status !== 'starting' && demo.status !== 'running') get().endFirstRun();
  },

  async startDemo(path) {
    set({ firstRun: { active: true, demo: { status: 'starting' } } });
    const result = await call(client, 'demo:generate', {
      path,
      size: 'small',
      seed: FIRST_RUN_DEMO_SEED,
    });
    if (!result.ok) {
      set({ firstRun: { active: true, demo: { status: 'failed', error: result.error } } });
      return;
    }
    const job = result.value;
    set({ firstRun: { active: true, demo: { status: 'running', jobId: job.id } } });
    // The job's events travel on another connection and may have come first.
    const ended = get().finishedJobs[job.id];
    if (ended) get().demoJobEnded(ended);
    else get().jobProgressed(job);
  },

  demoJobEnded(job) {
    const { demo } = get().firstRun;
    if (demo.status !== 'running' || demo.jobId !== job.id) return;
    if (job.state === 'succeeded') {
      get().endFirstRun();
      void get().loadRoot();
      void get().loadUsage();
      return;
    }
    const error: TendError = job.error ?? {
      code: job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL',
      message:
        job.state === 'cancelled'
          ? 'The demo was cancelled before it was finished.'
          : `The demo job ended as ${job.state}.`,
    };
    set({ firstRun: { active: true, demo: { status: 'failed', error } } });
  },
});
