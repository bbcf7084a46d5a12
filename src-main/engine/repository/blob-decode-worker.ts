/**
 * A blob-decode worker: opens the sealed blobs of each batch it is sent (MAC, AES-CTR, zstd,
 * SHA-256: blob-opening.ts) into one buffer, back to back, and sends that buffer back.
 *
 * Note: this file is a worker entry (its own entry in electron.vite.config.ts and in
 * scripts/build-cli.mjs); blob-decoders.ts starts it and sends it batches
 * (blob-decode-protocol.ts). It checks every blob as the main thread would; it writes nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type {
  DecodeAnswer,
  DecodeBatch,
  DecodeReply,
  DecoderKey,
  DecoderMessage,
} from './blob-decode-protocol';
import { openBlob, plainLength } from './blob-opening';
import type { CryptoKey } from './restic-crypto';

const given = workerData as DecoderKey;
const key: CryptoKey = {
  encrypt: Buffer.from(given.encrypt),
  macK: Buffer.from(given.macK),
  macR: Buffer.from(given.macR),
};

function decode(batch: DecodeBatch): DecodeAnswer {
  const sealed = Buffer.from(batch.sealed);
  const { layout, ids } = batch;
  let total = 0;
  for (let i = 0; i < layout.length; i += 3) {
    total += plainLength({ length: layout[i + 1]!, uncompressedLength: layout[i + 2]! });
  }
  // A buffer of its own (not a slice of Buffer's pool), so it can be transferred: the one the
  // main thread gave back when it fits, so the plaintexts do not pile up between collections.
  const plain =
    batch.spare && batch.spare.byteLength >= total
      ? Buffer.from(batch.spare, 0, total)
      : Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (let i = 0; i < layout.length; i += 3) {
    const start = layout[i]!;
    const length = layout[i + 1]!;
    const uncompressedLength = layout[i + 2]!;
    const size = plainLength({ length, uncompressedLength });
    try {
      openBlob(
        key,
        sealed.subarray(start, start + length),
        { id: ids.slice((i / 3) * 64, (i / 3) * 64 + 64), uncompressedLength },
        plain.subarray(at, at + size),
      );
    } catch {
      return { id: batch.id, ok: false, failed: i / 3 };
    }
    at += size;
  }
  return { id: batch.id, ok: true, plain: plain.buffer };
}

parentPort?.on('message', (message: DecoderMessage) => {
  if (message === 'stop') process.exit(0);
  const reply: DecodeReply = { ...decode(message), sealed: message.sealed };
  parentPort?.postMessage(reply, reply.ok ? [reply.plain, reply.sealed] : [reply.sealed]);
});
