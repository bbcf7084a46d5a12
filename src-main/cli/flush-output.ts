import type { Writable } from 'node:stream';

/**
 * Resolves once everything written to these streams so far has been handed to the system.
 *
 * A write's callback runs after that write, and every write before it, has left the stream,
 * so an empty write at the end is the marker. A reader that went away (`tend … | head`)
 * ends the wait too: there is nobody left to read the rest.
 */
export async function flushOutput(streams: ReadonlyArray<Writable>): Promise<void> {
  await Promise.all(
    streams.map(
      (stream) =>
        new Promise<void>((resolve) => {
          if (stream.destroyed || stream.writableEnded) return resolve();
          const done = () => {
            stream.off('error', done);
            resolve();
          };
          stream.once('error', done);
          stream.write('', () => done());
        }),
    ),
  );
}

/**
 * Lets a command go on when the reader of its output goes away (`tend jobs list | head`):
 * what it still prints is dropped, as with any command line tool, instead of crashing it in
 * the middle of its work. Any other write error is still thrown.
 */
export function ignoreClosedReader(stream: Writable): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}
