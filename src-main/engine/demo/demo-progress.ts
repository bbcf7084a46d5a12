import { performance } from 'node:perf_hooks';
import { TendFailure } from '../../../src-shared/errors';

/** Where the demo generator is, in bytes and files of its planned totals. */
export interface DemoProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Root-relative path being written, or null between files. */
  readonly currentPath: string | null;
}

/** Least time between two progress reports. */
const REPORT_INTERVAL_MS = 100;
/** Longest stretch of synchronous work before the event loop gets a turn. */
const YIELD_INTERVAL_MS = 40;

/**
 * The cancellation error: a TendFailure with code CANCELLED, named 'AbortError' so that code
 * which only knows the DOM convention (`error.name === 'AbortError'`) recognises it too.
 */
export function demoAbortError(): TendFailure {
  const error = new TendFailure('CANCELLED', 'Demo generation was cancelled.');
  error.name = 'AbortError';
  return error;
}

/**
 * Counts work done against planned totals, throttles reports, honours the abort signal, and
 * lets the event loop breathe during long synchronous stretches (SQLite inserts, index builds),
 * which is also what lets an abort from a timer or the UI arrive at all.
 */
export class DemoProgressTracker {
  private bytesDone = 0;
  private filesDone = 0;
  private bytesTotal: number;
  private filesTotal: number;
  private currentPath: string | null = null;
  private lastReport = Number.NEGATIVE_INFINITY;
  private lastYield = performance.now();

  constructor(
    totals: { readonly bytes: number; readonly files: number },
    private readonly onProgress: ((progress: DemoProgress) => void) | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.bytesTotal = totals.bytes;
    this.filesTotal = totals.files;
  }

  /** Throws the cancellation error when the signal has fired. */
  throwIfAborted(): void {
    if (this.signal?.aborted) throw demoAbortError();
  }

  /** Marks the start of a file. */
  begin(path: string): void {
    this.currentPath = path;
  }

  /** Adds bytes written (or estimated, for files whose size is only known at the end). */
  addBytes(bytes: number): void {
    this.bytesDone += bytes;
  }

  /** Marks the current file as complete. */
  fileDone(): void {
    this.filesDone++;
    this.currentPath = null;
  }

  /** Reports if enough time has passed; yields to the event loop now and then; checks abort. */
  async tick(): Promise<void> {
    this.throwIfAborted();
    const now = performance.now();
    if (now - this.lastReport >= REPORT_INTERVAL_MS) this.report(now);
    if (now - this.lastYield >= YIELD_INTERVAL_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
      this.throwIfAborted();
    }
  }

  /** Reports the planned totals before any work. */
  start(): void {
    this.report(performance.now());
  }

  /** Reports the final figures, replacing the estimates with what was measured. */
  finish(actual: { readonly bytes: number; readonly files: number }): void {
    this.bytesTotal = actual.bytes;
    this.filesTotal = actual.files;
    this.bytesDone = actual.bytes;
    this.filesDone = actual.files;
    this.currentPath = null;
    this.report(performance.now());
  }

  private report(now: number): void {
    this.lastReport = now;
    this.onProgress?.({
      // Estimates (the database, the indexes) can run past the plan; never show more than 100 %.
      bytesDone: Math.round(Math.min(this.bytesDone, this.bytesTotal)),
      bytesTotal: this.bytesTotal,
      filesDone: Math.min(this.filesDone, this.filesTotal),
      filesTotal: this.filesTotal,
      currentPath: this.currentPath,
    });
  }
}
