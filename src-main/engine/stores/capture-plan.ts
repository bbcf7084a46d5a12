/**
 * How a store is captured consistently for a backup: which files, in which order, each either
 * copied as it is or snapshotted through SQLite's online backup API.
 */

/** How one file is captured. */
export type CaptureMethod =
  /** Copied byte for byte; the copy is checked against the file's size, mtime and inode after. */
  | 'copy'
  /** Copied through SQLite's online backup API, its WAL included, from one read transaction. */
  | 'sqlite-snapshot';

/** One file to capture. */
export interface CaptureItem {
  /** Relative to the plan's base, with `/` separators. */
  readonly path: string;
  readonly bytes: number;
  readonly method: CaptureMethod;
}

/** The files of one store to capture, in the order that keeps the copy consistent. */
export interface CapturePlan {
  /** The absolute folder every item's path is relative to. */
  readonly base: string;
  readonly items: ReadonlyArray<CaptureItem>;
  /**
   * Why this order gives a consistent copy, or what it cannot promise. Shown in a backup's
   * details, so it is written for a person.
   */
  readonly consistency: string;
  /**
   * True when the files only agree with each other if the app is not writing meanwhile (Chroma's
   * SQLite and its segment files, for one): a backup should ask for the app to be stopped.
   */
  readonly needsAppStopped: boolean;
}

/** The bytes a plan will read. */
export function planBytes(plan: CapturePlan): number {
  let total = 0;
  for (const item of plan.items) total += item.bytes;
  return total;
}
