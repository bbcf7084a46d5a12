/**
 * A sealing worker: compresses and seals the batches of blobs the backup's main thread sends
 * (blob-sealing.ts), so a first backup's zstd and AES + Poly1305 run beside its reading and
 * hashing.
 *
 * Note: this file is a worker entry (its own entry in electron.vite.config.ts and in
 * scripts/build-cli.mjs); blob-sealer-pool.ts starts it with the master key as its data. It
 * says when it is ready, then answers each request with one message, in the order asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  keyOfSetup,
  sealBatch,
  type SealAnswer,
  type SealerSetup,
  type SealRequest,
} from './blob-sealing';

const setup = workerData as SealerSetup;
const key = keyOfSetup(setup);

// Loaded (zstd and libsodium included): batches may come.
parentPort?.postMessage({ ready: true } satisfies SealAnswer);

parentPort?.on('message', (request: SealRequest) => {
  let answer: SealAnswer;
  try {
    const sealed = sealBatch(key, setup.compress, {
      data: new Uint8Array(request.data),
      ends: request.ends,
    });
    answer = {
      seq: request.seq,
      data: sealed.data.buffer as ArrayBuffer,
      ends: sealed.ends,
      uncompressedLengths: sealed.uncompressedLengths,
    };
    parentPort?.postMessage(answer, [answer.data]);
  } catch (error) {
    answer = { seq: request.seq, error: error instanceof Error ? error.message : String(error) };
    parentPort?.postMessage(answer);
  }
});
