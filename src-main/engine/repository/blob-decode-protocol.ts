/**
 * What the main thread and a blob-decode worker say to each other (blob-decoders.ts,
 * blob-decode-worker.ts). Plain data only: it crosses `postMessage`.
 */
/** The master key's parts, as a decode worker gets them in its workerData. */
export interface DecoderKey {
  readonly encrypt: Uint8Array;
  readonly macK: Uint8Array;
  readonly macR: Uint8Array;
}

/**
 * Sealed blobs to open, answered in one buffer. Plain arrays and strings, not an object per
 * blob: a batch holds hundreds of 4 KiB pages, and cloning as many objects cost more than
 * opening them. Blob `i` lies at `layout[3i]` in `sealed` and is `layout[3i + 1]` bytes long;
 * `layout[3i + 2]` is its plaintext length when compressed (else 0); its id is characters
 * `64i` to `64i + 64` of `ids`. `sealed` and `layout` are transferred, not copied.
 */
export interface DecodeBatch {
  readonly id: number;
  readonly sealed: ArrayBuffer;
  readonly layout: Uint32Array;
  readonly ids: string;
  /** A plaintext buffer the main thread is done with (transferred): decoded into if it fits. */
  readonly spare?: ArrayBuffer;
}

/**
 * A batch's answer: every plaintext back to back in the order of the batch's blobs (their
 * lengths are the index's), or the position of the first blob that did not open; the sealed
 * buffer comes back with it.
 */
export type DecodeAnswer =
  | { readonly id: number; readonly ok: true; readonly plain: ArrayBuffer }
  | { readonly id: number; readonly ok: false; readonly failed: number };

/** A batch's answer as sent, with the batch's `sealed` buffer given back for the next batch. */
export type DecodeReply = DecodeAnswer & { readonly sealed: ArrayBuffer };

/** A batch, or the word to end the thread. */
export type DecoderMessage = DecodeBatch | 'stop';
