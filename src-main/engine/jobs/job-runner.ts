import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { TendFailure, type TendError } from '../../../src-shared/errors';
import {
  emptyProgress,
  isFinished,
  mergeProgress,
  type JobKind,
  type JobProgress,
  type JobRecord,
} from '../../../src-shared/models/jobs';
import { checkJobResult } from '../../../src-shared/models/job-results';
import type { EventBus } from '../events';
import type { DataLock } from './data-lock';
import type { JobOwner, JobStore } from './job-store';
import { ownerAlive } from './process-alive';

/** What a running job gets: its cancel signal and a way to report progress. */
export interface JobContext {
  readonly signal: AbortSignal;
  readonly jobId: string;
  /** Reports progress; the ETA is worked out here from the bytes (or files) done so far. */
  progress(update: Partial<Omit<JobProgress, 'etaSeconds'>>): void;
  /** Throws CANCELLED when the job was asked to stop. */
  throwIfCancelled(): void;
}

/** What to run as a job. */
export interface JobSpec<T> {
  kind: JobKind;
  title: string;
  /** Jobs that write the root take the exclusive data lock. */
  writesRoot: boolean;
  run(context: JobContext): Promise<T>;
}

// Progress events at most this often; the catalog is written less often still.
const EMIT_EVERY_MS = 100;
const PERSIST_EVERY_MS = 1_000;

/** A job's owner runs while its process does; a job of this very process is its own. */
function isAlive(owner: JobOwner): boolean {
  return ownerAlive(owner, { thisProcess: 'alive' });
}

function toTendError(error: unknown): TendError {
  if (error instanceof TendFailure) return error.toError();
  return { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) };
}

interface LiveJob {
  record: JobRecord;
  controller: AbortController;
  done: Promise<JobRecord>;
}

/**
 * Runs every long action as a job (DESIGN §6): progress and finished events, cancel through
 * AbortSignal, state kept in the catalog, one exclusive data lock for writers.
 */
export class JobRunner {
  private readonly live = new Map<string, LiveJob>();
  private readonly owner: JobOwner = { host: os.hostname(), pid: process.pid };

  constructor(
    private readonly store: JobStore,
    private readonly events: EventBus,
    private readonly lock: DataLock,
  ) {}

  /** Marks jobs of processes that are gone as interrupted; returns them. */
  recoverInterrupted(): JobRecord[] {
    return this.store.markInterrupted(new Date().toISOString(), isAlive);
  }

  /** Starts a job and returns its record at once; `wait` gives the finished one. */
  start<T>(spec: JobSpec<T>): JobRecord {
    const controller = new AbortController();
    const record: JobRecord = {
      id: randomUUID(),
      kind: spec.kind,
      title: spec.title,
      state: 'queued',
      writesRoot: spec.writesRoot,
      progress: { ...emptyProgress },
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      result: null,
      error: null,
    };
    this.store.save(record, this.owner);
    const live: LiveJob = { record, controller, done: Promise.resolve(record) };
    this.live.set(record.id, live);
    this.events.emit('job:progress', record);
    live.done = this.execute(live, spec);
    return record;
  }

  /** Waits for a job of this process to end; a job already ended is read from the catalog. */
  async wait(id: string): Promise<JobRecord> {
    const live = this.live.get(id);
    if (live) return live.done;
    return this.get(id);
  }

  get(id: string): JobRecord {
    const live = this.live.get(id);
    if (live) return live.record;
    const record = this.store.get(id);
    if (!record) throw new TendFailure('JOB_NOT_FOUND', `There is no job ${id}.`);
    return record;
  }

  list(limit: number, kind?: JobKind): JobRecord[] {
    return this.store.list(limit, kind).map((record) => this.live.get(record.id)?.record ?? record);
  }

  /** Asks a job to stop; it ends as cancelled once its work has been undone. */
  cancel(id: string): JobRecord {
    const live = this.live.get(id);
    if (!live) {
      const record = this.get(id);
      throw new TendFailure('JOB_NOT_RUNNING', `Job ${id} has already ended (${record.state}).`);
    }
    live.controller.abort(new TendFailure('CANCELLED', 'Cancelled by the user.'));
    return live.record;
  }

  /** Cancels every job of this process and waits for them to end (on shutdown). */
  async shutdown(): Promise<void> {
    const jobs = [...this.live.values()];
    for (const job of jobs) {
      job.controller.abort(new TendFailure('CANCELLED', 'Tend is shutting down.'));
    }
    await Promise.allSettled(jobs.map((job) => job.done));
  }

  private async execute<T>(live: LiveJob, spec: JobSpec<T>): Promise<JobRecord> {
    const { signal } = live.controller;
    let release: (() => Promise<void>) | null = null;
    try {
      if (spec.writesRoot) {
        release = await this.lock.acquire(signal, (error) =>
          live.controller.abort(
            new TendFailure('DATA_LOCKED', `The data lock was lost: ${error.message}`),
          ),
        );
      }
      signal.throwIfAborted();
      const startedMs = Date.now();
      this.update(live, { state: 'running', startedAt: new Date().toISOString() }, true);
      let lastEmit = 0;
      let lastPersist = Date.now();
      const context: JobContext = {
        signal,
        jobId: live.record.id,
        throwIfCancelled: () => signal.throwIfAborted(),
        progress: (partial) => {
          const progress = mergeProgress(live.record.progress, partial);
          progress.etaSeconds = estimateEta(progress, Date.now() - startedMs);
          live.record = { ...live.record, progress };
          const now = Date.now();
          if (now - lastEmit < EMIT_EVERY_MS) return;
          lastEmit = now;
          const persist = now - lastPersist >= PERSIST_EVERY_MS;
          if (persist) lastPersist = now;
          this.update(live, {}, persist);
        },
      };
      const result = (await spec.run(context)) ?? null;
      // The result crosses every door (IPC, HTTP, CLI, the catalog): it must be what its kind
      // says. The value is kept as the job gave it; the check only refuses a wrong shape.
      checkJobResult(spec.kind, result);
      this.update(
        live,
        {
          state: 'succeeded',
          result,
          progress: { ...live.record.progress, etaSeconds: 0 },
        },
        true,
      );
    } catch (error) {
      const reason = signal.aborted ? signal.reason : error;
      const tendError = toTendError(reason);
      const state = tendError.code === 'CANCELLED' ? 'cancelled' : 'failed';
      this.update(live, { state, error: tendError }, true);
    } finally {
      if (release) await release().catch(() => undefined);
      this.live.delete(live.record.id);
    }
    return live.record;
  }

  private update(live: LiveJob, patch: Partial<JobRecord>, persist: boolean): void {
    live.record = { ...live.record, ...patch };
    if (patch.state && isFinished(patch.state)) {
      live.record.finishedAt = new Date().toISOString();
    }
    if (persist) this.store.save(live.record, this.owner);
    const finished = isFinished(live.record.state);
    this.events.emit(finished ? 'job:finished' : 'job:progress', live.record);
  }
}

/** Seconds left at the rate so far, by bytes when their total is known, else by files. */
export function estimateEta(progress: JobProgress, elapsedMs: number): number | null {
  const [done, total] =
    progress.bytesTotal !== null && progress.bytesTotal > 0
      ? [progress.bytesDone, progress.bytesTotal]
      : [progress.filesDone, progress.filesTotal];
  if (total === null || done <= 0 || elapsedMs < 500) return null;
  return Math.max(0, Math.round(((total - done) * elapsedMs) / done / 1000));
}
