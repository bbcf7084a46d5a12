import type { Result } from '../../../src-shared/errors';
import { isFinished, type JobRecord } from '../../../src-shared/models/jobs';
import { call } from './call';
import type { SliceCreator } from './slice';

/** How many ended jobs are remembered, so late or out-of-order news can be matched. */
const FINISHED_KEPT = 50;

/** Jobs the engine is running now, kept current by `job:progress` and `job:finished`. */
export interface JobsSlice {
  /** Queued and running jobs by id. */
  runningJobs: Readonly<Record<string, JobRecord>>;
  /** Recently ended jobs by id. */
  finishedJobs: Readonly<Record<string, JobRecord>>;
  /** Asks the engine which jobs run now (at start, and after a missed event). */
  loadJobs(): Promise<void>;
  /** Asks again about each running job; covers events lost while the stream reconnected. */
  pollRunningJobs(): Promise<void>;
  cancelJob(id: string): Promise<Result<JobRecord>>;
  jobProgressed(job: JobRecord): void;
  jobFinished(job: JobRecord): void;
  /**
   * The job last started from each place of a page ("backup", "legacy", "index:notes" …), so
   * the place can show its progress and then its outcome, even after the page was left and
   * opened again.
   */
  placedJobs: Readonly<Record<string, string>>;
  /** Places whose start is on its way to the engine: a second click there is ignored. */
  startingAt: Readonly<Record<string, true>>;
  /**
   * Starts a job from a place, once: while a start from there is on its way the call does
   * nothing and answers null (a double click starts one job, not two).
   */
  startJobAt(
    place: string,
    start: () => Promise<Result<JobRecord>>,
  ): Promise<Result<JobRecord> | null>;
  /** Remembers a job started from a place (by a slice that started it itself). */
  placeJob(place: string, jobId: string): void;
  /** Forgets the outcome shown at a place. */
  clearPlace(place: string): void;
}

function without(
  record: Readonly<Record<string, JobRecord>>,
  id: string,
): Record<string, JobRecord> {
  const rest = { ...record };
  delete rest[id];
  return rest;
}

export const createJobsSlice: SliceCreator<JobsSlice> = (set, get, client) => {
  function observe(job: JobRecord): void {
    if (isFinished(job.state)) get().jobFinished(job);
    else get().jobProgressed(job);
  }

  return {
    runningJobs: {},
    finishedJobs: {},
    placedJobs: {},
    startingAt: {},

    async startJobAt(place, start) {
      if (get().startingAt[place]) return null;
      set({ startingAt: { ...get().startingAt, [place]: true } });
      try {
        const result = await start();
        if (result.ok) get().placeJob(place, result.value.id);
        return result;
      } finally {
        const rest: Record<string, true> = { ...get().startingAt };
        delete rest[place];
        set({ startingAt: rest });
      }
    },

    placeJob(place, jobId) {
      set({ placedJobs: { ...get().placedJobs, [place]: jobId } });
    },

    clearPlace(place) {
      const rest = { ...get().placedJobs };
      delete rest[place];
      set({ placedJobs: rest });
    },

    async loadJobs() {
      const result = await call(client, 'jobs:list', { limit: 50 });
      if (!result.ok) return;
      for (const job of result.value.jobs) if (!isFinished(job.state)) observe(job);
    },

    async pollRunningJobs() {
      const ids = Object.keys(get().runningJobs);
      await Promise.all(
        ids.map(async (id) => {
          const result = await call(client, 'jobs:get', { id });
          if (result.ok) observe(result.value);
          else if (result.error.code === 'JOB_NOT_FOUND') {
            set({ runningJobs: without(get().runningJobs, id) });
          }
        }),
      );
    },

    async cancelJob(id) {
      const result = await call(client, 'jobs:cancel', { id });
      if (result.ok) observe(result.value);
      return result;
    },

    jobProgressed(job) {
      // A progress report that arrives after the job ended is old news.
      if (get().finishedJobs[job.id] || isFinished(job.state)) return;
      set({ runningJobs: { ...get().runningJobs, [job.id]: job } });
      get().restoreJobSeen(job);
    },

    jobFinished(job) {
      const alreadyKnown = get().finishedJobs[job.id] !== undefined;
      const kept = Object.values(get().finishedJobs).slice(-(FINISHED_KEPT - 1));
      set({
        runningJobs: without(get().runningJobs, job.id),
        finishedJobs: { ...Object.fromEntries(kept.map((j) => [j.id, j])), [job.id]: job },
      });
      if (alreadyKnown) return;
      get().demoJobEnded(job);
      get().storeCheckEnded(job);
      // A job that wrote the root changed what Overview shows.
      if (job.writesRoot && get().usage.status !== 'idle') void get().loadUsage();
    },
  };
};
