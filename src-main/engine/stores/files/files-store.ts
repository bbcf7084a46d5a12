/**
 * The `files` store kind: a plain folder of files the app keeps as they came (uploads,
 * documents). Capture is the files; validation reads every byte of every file.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { capitalize, DEMO_TOPICS, paragraph, slugify, title } from '../../demo/demo-text';
import { SeededRandom } from '../../demo/random';
import type { CapturePlan } from '../capture-plan';
import { listFiles } from '../list-files';
import { storeCheck, unreadableFile, type StoreCheck, type StoreFinding } from '../store-finding';
import type { StoreDemoOptions, StoreKind, StoreRunOptions } from '../store-kind';

/** Where a folder store lives. */
export interface FilesLocation {
  readonly dir: string;
}

/** What a folder check read. */
export interface FilesFacts {
  readonly files: number;
  readonly bytes: number;
}

async function readThrough(
  file: string,
  onBytes: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) onBytes(chunk.length);
}

/** Reads every file of the folder to its end; a file that cannot be read is a finding. */
export async function validateFiles(
  location: FilesLocation,
  options: StoreRunOptions = {},
): Promise<StoreCheck<FilesFacts>> {
  const files = await listFiles(location.dir);
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  const findings: StoreFinding[] = [];
  let bytesDone = 0;
  let filesDone = 0;
  for (const file of files) {
    options.signal?.throwIfAborted();
    const report = () =>
      options.onProgress?.({
        bytesDone,
        bytesTotal: total,
        filesDone,
        filesTotal: files.length,
        currentPath: file.path,
      });
    try {
      await readThrough(
        path.join(location.dir, ...file.path.split('/')),
        (bytes) => {
          bytesDone += bytes;
          report();
        },
        options.signal,
      );
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      findings.push(
        unreadableFile(
          file.path,
          (error as NodeJS.ErrnoException).code ?? (error as Error).message,
        ),
      );
    }
    filesDone++;
    report();
  }
  return storeCheck({ files: files.length, bytes: total }, findings);
}

/** The capture plan of a folder: every file, as it is. */
export async function planFilesCapture(location: FilesLocation): Promise<CapturePlan> {
  const files = await listFiles(location.dir);
  return {
    base: location.dir,
    items: files.map((file) => ({ path: file.path, bytes: file.bytes, method: 'copy' as const })),
    consistency: 'Each file is copied whole and checked against its size and mtime after the copy.',
    needsAppStopped: false,
  };
}

/** What the folder demo writes. */
export interface FilesDemo extends StoreDemoOptions {
  /** Files to write (6 unless given). */
  readonly files?: number;
}

/** Writes a few documents (Markdown and text), the same for the same seed. */
export async function writeFilesDemo(location: FilesLocation, demo: FilesDemo): Promise<void> {
  const rng = new SeededRandom(`files/${demo.seed}`);
  await fs.mkdir(location.dir, { recursive: true });
  for (let i = 0; i < (demo.files ?? 6); i++) {
    const topic = rng.pick(DEMO_TOPICS);
    const heading = title(rng, topic);
    const markdown = rng.chance(0.5);
    const body = [
      markdown ? `# ${heading}` : capitalize(heading),
      '',
      paragraph(rng, topic, rng.int(3, 8)),
      '',
    ].join('\n');
    await fs.writeFile(
      path.join(location.dir, `${slugify(heading, 40)}-${i}.${markdown ? 'md' : 'txt'}`),
      body,
    );
  }
}

/** A plain folder of files. */
export const filesStore: StoreKind<FilesLocation, FilesFacts, FilesDemo> = {
  kind: 'files',
  title: 'Files',
  description:
    'A folder of files kept as they came (uploads, documents). Every file must be readable to its end.',
  origin: { kind: 'source' },
  planCapture: planFilesCapture,
  validate: validateFiles,
  writeDemo: writeFilesDemo,
};
