/**
 * What the main thread and the archive-inflate worker say to each other (archive-inflate.ts,
 * archive-inflate-worker.ts). Plain data only: it crosses `postMessage`.
 */

/** The worker's data: the archive to decompress, and how. */
export interface InflateTask {
  readonly archivePath: string;
  /** Decompressed bytes a buffer holds; every buffer sent is full but the last. */
  readonly bufferBytes: number;
  /** Buffers the worker fills before it waits for one back (bounds memory and read-ahead). */
  readonly buffers: number;
  /**
   * The buffers: `buffers` slots of `bufferBytes`, shared, so the bytes cross without a copy
   * and without a transfer (each transferred buffer counted as new memory on the main thread,
   * and brought its collector round sooner).
   */
  readonly ring: SharedArrayBuffer;
  /** Whether to send a copy of every chunk of the file as it is read. */
  readonly sendRead: boolean;
}

/** How the archive was read: member by member, then from `serialFrom` (if set) as one stream. */
export interface InflateSummary {
  readonly members: number;
  readonly serialFrom: number | null;
}

/**
 * What the worker sends: decompressed bytes (the first `length` of a slot of the ring; the main
 * thread gives the slot back once read), a chunk of the file as read (transferred, kept), the
 * end, or a failure as the system or zlib reported it (its `code` kept, `Z_…` for damage).
 */
export type InflateMessage =
  | { readonly kind: 'data'; readonly slot: number; readonly length: number }
  | { readonly kind: 'read'; readonly buffer: ArrayBuffer }
  | ({ readonly kind: 'end' } & InflateSummary)
  | { readonly kind: 'error'; readonly code: string | undefined; readonly message: string };

/** What the main thread sends: a slot back, its bytes read. */
export interface InflateReturn {
  readonly slot: number;
}
