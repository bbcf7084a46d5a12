/**
 * What a planned file holds.
 *
 * `bytes` is ready content; `lazy` renders exactly the planned size when it is written, so the
 * tens of thousands of small files are never all in memory; `random` streams incompressible
 * bytes (model weights) after an optional header.
 */
export type PlannedContent =
  | { readonly kind: 'bytes'; readonly data: Uint8Array }
  | { readonly kind: 'lazy'; readonly render: () => Uint8Array }
  | {
      readonly kind: 'random';
      /** Name of the byte stream; the same name gives the same bytes. */
      readonly stream: string;
      readonly header?: Uint8Array;
      /**
       * Rename the file to the SHA-256 of its bytes once written, as a Hugging Face cache
       * does with its blobs; `path` is then the temporary `.incomplete` name.
       */
      readonly nameBySha256?: boolean;
    };

/** One file of the demo root, known (size included) before anything is written. */
export interface PlannedFile {
  /** Root-relative, forward slashes. */
  readonly path: string;
  readonly bytes: number;
  readonly mtime: Date;
  readonly content: PlannedContent;
}

/** A planned file whose content is ready now. */
export function textFile(path: string, text: string | Uint8Array, mtime: Date): PlannedFile {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return { path, bytes: data.byteLength, mtime, content: { kind: 'bytes', data } };
}

/** A planned file of exactly `bytes` bytes rendered when it is written. */
export function lazyFile(
  path: string,
  bytes: number,
  mtime: Date,
  render: () => Uint8Array,
): PlannedFile {
  return { path, bytes, mtime, content: { kind: 'lazy', render } };
}

/**
 * Text of exactly `bytes` bytes: lines from `nextLine` until the size is reached, the last one
 * cut short and ended with a newline (like a log caught mid-write). ASCII lines only.
 */
export function fillLines(bytes: number, nextLine: () => string): Buffer {
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const line = `${nextLine()}\n`;
    parts.push(line);
    length += line.length;
  }
  const out = Buffer.from(parts.join(''), 'latin1').subarray(0, bytes);
  if (bytes > 0) out[bytes - 1] = 0x0a;
  return out;
}
