/**
 * The `ollama-models` store kind: Ollama's model folder (`manifests/`, `blobs/`; see
 * ollama-manifest.ts for the source of every rule). Models come from a registry, so the store
 * is re-downloadable; what Tend adds is finding the space nothing uses (blobs no manifest names,
 * unfinished downloads) and checking that every blob is what its name says.
 */
import crypto from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CaptureItem, CapturePlan } from '../capture-plan';
import { listFiles, type ListedFile } from '../list-files';
import { storeCheck, type StoreCheck, type StoreFinding } from '../store-finding';
import type { StoreKind, StoreRunOptions } from '../store-kind';
import { writeOllamaDemo, type OllamaDemo } from './ollama-demo';
import {
  blobFileName,
  DIGEST,
  isPartialDownload,
  modelNameOf,
  OllamaManifestSchema,
  type OllamaLayer,
} from './ollama-manifest';

/** Where Ollama's models live (`$OLLAMA_MODELS`, else `~/.ollama/models`). */
export interface OllamaLocation {
  readonly dir: string;
  /** Hash every blob a manifest names (slow: it reads every byte). */
  readonly verify?: boolean;
}

/** One model: its manifest and what it needs. */
export interface OllamaModel {
  readonly name: string;
  /** Below `manifests/`. */
  readonly manifest: string;
  /** Bytes of its layers and config. */
  readonly bytes: number;
  readonly blobs: ReadonlyArray<string>;
}

/** What an Ollama check read. */
export interface OllamaFacts {
  readonly models: ReadonlyArray<OllamaModel>;
  readonly blobs: number;
  readonly blobBytes: number;
  readonly orphanBytes: number;
  readonly partialBytes: number;
}

interface Scan {
  readonly models: OllamaModel[];
  /** Blob file name → the layers that name it (with the model's name). */
  readonly wanted: Map<string, Array<{ layer: OllamaLayer; model: string }>>;
  readonly blobs: ListedFile[];
  readonly findings: StoreFinding[];
}

async function scan(dir: string): Promise<Scan> {
  const findings: StoreFinding[] = [];
  const models: OllamaModel[] = [];
  const wanted = new Map<string, Array<{ layer: OllamaLayer; model: string }>>();
  for (const file of await listFiles(path.join(dir, 'manifests'))) {
    const label = `manifests/${file.path}`;
    const name = modelNameOf(file.path);
    let parsed: ReturnType<typeof OllamaManifestSchema.safeParse> | null = null;
    try {
      parsed = OllamaManifestSchema.safeParse(
        JSON.parse(await fs.readFile(path.join(dir, 'manifests', ...file.path.split('/')), 'utf8')),
      );
    } catch {
      parsed = null;
    }
    if (!name || !parsed?.success) {
      findings.push({
        code: 'OLLAMA_MANIFEST_INVALID',
        severity: 'problem',
        path: label,
        message: `${label} is not a model manifest Ollama can read${name ? ` (model ${name})` : ''}.`,
        action: name
          ? `Pull the model again (ollama pull ${name}) or restore the manifest from a backup.`
          : 'Remove the file if nothing of yours is in it; Ollama ignores it.',
      });
      continue;
    }
    const layers = [parsed.data.config, ...parsed.data.layers];
    const blobs = [...new Set(layers.map((layer) => blobFileName(layer.digest)))];
    for (const layer of layers) {
      const blob = blobFileName(layer.digest);
      wanted.set(blob, [...(wanted.get(blob) ?? []), { layer, model: name }]);
    }
    models.push({
      name,
      manifest: file.path,
      bytes: layers.reduce((sum, layer) => sum + layer.size, 0),
      blobs,
    });
  }
  const blobs = (await listFiles(path.join(dir, 'blobs'))).filter(
    (file) => !file.path.includes('/'),
  );
  return { models, wanted, blobs, findings };
}

/** Streams a file through SHA-256, reporting bytes as it goes. */
async function sha256Of(
  file: string,
  onBytes: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const hash = crypto.createHash('sha256');
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    onBytes(chunk.length);
  }
  return hash.digest('hex');
}

/** Validates Ollama's model folder; with `verify`, hashes every blob a manifest names. */
export async function validateOllamaStore(
  location: OllamaLocation,
  options: StoreRunOptions = {},
): Promise<StoreCheck<OllamaFacts>> {
  const { models, wanted, blobs, findings } = await scan(location.dir);
  const present = new Map(blobs.map((blob) => [blob.path, blob]));
  let orphanBytes = 0;
  let partialBytes = 0;
  for (const [blob, uses] of wanted) {
    const file = present.get(blob);
    const modelsUsing = [...new Set(uses.map((use) => use.model))].join(', ');
    if (!file) {
      findings.push({
        code: 'OLLAMA_BLOB_MISSING',
        severity: 'problem',
        path: `blobs/${blob}`,
        message: `blobs/${blob} is missing; ${modelsUsing} needs it and will not load.`,
        action: `Pull the model again (ollama pull ${uses[0]?.model ?? ''}) or restore the blob from a backup.`,
      });
    } else if (uses.some((use) => use.layer.size !== file.bytes)) {
      findings.push({
        code: 'OLLAMA_BLOB_SIZE_MISMATCH',
        severity: 'problem',
        path: `blobs/${blob}`,
        message: `blobs/${blob} is ${file.bytes} bytes; the manifest of ${modelsUsing} says ${uses[0]?.layer.size}.`,
        action: `Pull the model again (ollama pull ${uses[0]?.model ?? ''}) or restore the blob from a backup.`,
      });
    }
  }
  for (const blob of blobs) {
    if (wanted.has(blob.path)) continue;
    if (isPartialDownload(blob.path)) {
      partialBytes += blob.bytes;
      findings.push({
        code: 'OLLAMA_PARTIAL_DOWNLOAD',
        severity: 'reclaimable',
        path: `blobs/${blob.path}`,
        bytes: blob.bytes,
        message: `blobs/${blob.path} is part of a download that did not finish.`,
        action:
          'Remove it to free the space, unless a pull is running now (a new pull starts over).',
      });
    } else if (DIGEST.test(blob.path)) {
      orphanBytes += blob.bytes;
      findings.push({
        code: 'OLLAMA_BLOB_ORPHAN',
        severity: 'reclaimable',
        path: `blobs/${blob.path}`,
        bytes: blob.bytes,
        message: `blobs/${blob.path} belongs to no model (left by a removed or updated model).`,
        action:
          'Remove it to free the space, unless a pull is running now; Ollama prunes such blobs itself at start unless OLLAMA_NOPRUNE is set.',
      });
    } else {
      findings.push({
        code: 'OLLAMA_STRAY_FILE',
        severity: 'reclaimable',
        path: `blobs/${blob.path}`,
        bytes: blob.bytes,
        message: `blobs/${blob.path} is not a blob (its name is not a digest).`,
        action: 'Ollama deletes such files when it prunes; remove it if it is not yours.',
      });
    }
  }
  if (location.verify)
    findings.push(
      ...(await verifyBlobs(
        location.dir,
        [...wanted.keys()].filter((b) => present.has(b)),
        wanted,
        present,
        options,
      )),
    );
  const blobBytes = blobs.reduce((sum, blob) => sum + blob.bytes, 0);
  return storeCheck(
    { models, blobs: blobs.length, blobBytes, orphanBytes, partialBytes },
    findings,
  );
}

async function verifyBlobs(
  dir: string,
  names: ReadonlyArray<string>,
  wanted: Scan['wanted'],
  present: ReadonlyMap<string, ListedFile>,
  options: StoreRunOptions,
): Promise<StoreFinding[]> {
  const findings: StoreFinding[] = [];
  const total = names.reduce((sum, name) => sum + (present.get(name)?.bytes ?? 0), 0);
  let bytesDone = 0;
  let filesDone = 0;
  for (const name of names) {
    options.signal?.throwIfAborted();
    const report = () =>
      options.onProgress?.({
        bytesDone,
        bytesTotal: total,
        filesDone,
        filesTotal: names.length,
        currentPath: `blobs/${name}`,
      });
    report();
    const actual = await sha256Of(
      path.join(dir, 'blobs', name),
      (bytes) => {
        bytesDone += bytes;
        report();
      },
      options.signal,
    );
    filesDone++;
    if (`sha256-${actual}` !== name.toLowerCase()) {
      const models = [...new Set((wanted.get(name) ?? []).map((use) => use.model))];
      findings.push({
        code: 'OLLAMA_BLOB_HASH_MISMATCH',
        severity: 'problem',
        path: `blobs/${name}`,
        message: `blobs/${name} is damaged: its content hashes to sha256:${actual}, not to its name. ${models.join(', ')} may answer wrongly or fail to load.`,
        action: `Remove the blob and pull the model again (ollama pull ${models[0] ?? ''}), or restore it from a backup.`,
      });
    }
  }
  options.onProgress?.({
    bytesDone,
    bytesTotal: total,
    filesDone,
    filesTotal: names.length,
    currentPath: null,
  });
  return findings;
}

/**
 * The capture plan of Ollama's models: the manifests, then the blobs they name. Unfinished
 * downloads and blobs no manifest names are left out.
 */
export async function planOllamaCapture(location: OllamaLocation): Promise<CapturePlan> {
  const { models, blobs } = await scan(location.dir);
  const named = new Set(models.flatMap((model) => model.blobs));
  const items: CaptureItem[] = [];
  for (const model of models) {
    const bytes = (
      await fs.stat(path.join(location.dir, 'manifests', ...model.manifest.split('/')))
    ).size;
    items.push({ path: `manifests/${model.manifest}`, bytes, method: 'copy' });
  }
  for (const blob of blobs) {
    if (named.has(blob.path))
      items.push({ path: `blobs/${blob.path}`, bytes: blob.bytes, method: 'copy' });
  }
  return {
    base: location.dir,
    items,
    consistency:
      'Blobs never change (each is named by its hash) and Ollama writes a manifest only after its blobs, so manifests are copied first and every blob they name follows.',
    needsAppStopped: false,
  };
}

/** Ollama's model folder. */
export const ollamaModelsStore: StoreKind<OllamaLocation, OllamaFacts, OllamaDemo> = {
  kind: 'ollama-models',
  title: 'Ollama models',
  description:
    'Ollama’s model folder: manifests naming content-addressed blobs (sha256-…). Re-downloadable from the registry; orphan blobs and unfinished downloads are space to reclaim.',
  origin: { kind: 'downloaded', from: 'the Ollama registry (ollama pull)' },
  planCapture: planOllamaCapture,
  validate: validateOllamaStore,
  writeDemo: (location, demo) => writeOllamaDemo(location.dir, demo),
};
