/**
 * A demo Ollama model folder: small models as `ollama pull` leaves them (a GGUF model layer, a
 * template, parameters, a license and the config blob, named by their SHA-256, and a manifest
 * written as Go's json.Encoder writes it), plus, when asked, a blob no manifest names and an
 * unfinished download. The same seed writes the same bytes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createByteStream } from '../../demo/random';
import type { StoreDemoOptions } from '../store-kind';
import {
  blobFileName,
  MANIFEST_MEDIA_TYPE,
  manifestPathOf,
  type OllamaLayer,
} from './ollama-manifest';

/** A model of the demo. */
export interface OllamaDemoModel {
  /** As `ollama pull` takes it: `llama3.2:1b`. */
  readonly name: string;
  /** Bytes of its model layer. */
  readonly modelBytes: number;
}

/** What the Ollama demo writes. */
export interface OllamaDemo extends StoreDemoOptions {
  readonly models?: ReadonlyArray<OllamaDemoModel>;
  /** Add a blob of a removed model that no manifest names. */
  readonly orphan?: boolean;
  /** Add an unfinished download (`…-partial` and a part file). */
  readonly partial?: boolean;
}

const DEFAULT_MODELS: ReadonlyArray<OllamaDemoModel> = [
  { name: 'llama3.2:1b', modelBytes: 96 * 1024 },
  { name: 'nomic-embed-text:latest', modelBytes: 48 * 1024 },
];

function gguf(stream: string, bytes: number): Buffer {
  // GGUF's magic and version 3, then bytes standing in for the tensors.
  const head = Buffer.from([0x47, 0x47, 0x55, 0x46, 0x03, 0x00, 0x00, 0x00]);
  return Buffer.concat([head, createByteStream(stream)(Math.max(0, bytes - head.length))]);
}

async function putBlob(dir: string, bytes: Buffer, mediaType: string): Promise<OllamaLayer> {
  const digest = `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
  await fs.writeFile(path.join(dir, 'blobs', blobFileName(digest)), bytes);
  return { mediaType, digest, size: bytes.length };
}

/** Writes the demo model folder at `dir`. */
export async function writeOllamaDemo(dir: string, demo: OllamaDemo): Promise<void> {
  await fs.mkdir(path.join(dir, 'blobs'), { recursive: true });
  for (const model of demo.models ?? DEFAULT_MODELS) {
    const stream = `ollama/${demo.seed}/${model.name}`;
    const family = model.name.split(':')[0] ?? model.name;
    const layers = [
      await putBlob(dir, gguf(stream, model.modelBytes), 'application/vnd.ollama.image.model'),
      await putBlob(
        dir,
        Buffer.from(
          '{{ if .System }}<|system|>{{ .System }}{{ end }}<|user|>{{ .Prompt }}<|assistant|>',
        ),
        'application/vnd.ollama.image.template',
      ),
      await putBlob(
        dir,
        Buffer.from(JSON.stringify({ stop: ['<|user|>'], temperature: 0.7 })),
        'application/vnd.ollama.image.params',
      ),
      await putBlob(
        dir,
        Buffer.from(`License for ${family}: demo text, not a real licence.\n`),
        'application/vnd.ollama.image.license',
      ),
    ];
    const config = await putBlob(
      dir,
      Buffer.from(
        JSON.stringify({
          model_format: 'gguf',
          model_family: family,
          model_type: model.name.split(':')[1] ?? 'latest',
          file_type: 'Q4_K_M',
          architecture: 'amd64',
          os: 'linux',
          rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
        }),
      ),
      'application/vnd.docker.container.image.v1+json',
    );
    const manifest = path.join(dir, 'manifests', ...manifestPathOf(model.name).split('/'));
    await fs.mkdir(path.dirname(manifest), { recursive: true });
    // Go's json.Encoder: struct field order, no spaces, a newline at the end.
    await fs.writeFile(
      manifest,
      `${JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_MEDIA_TYPE, config, layers })}\n`,
    );
  }
  if (demo.orphan)
    await putBlob(
      dir,
      gguf(`ollama/${demo.seed}/removed`, 40 * 1024),
      'application/vnd.ollama.image.model',
    );
  if (demo.partial) {
    const bytes = gguf(`ollama/${demo.seed}/pulling`, 64 * 1024);
    const name = blobFileName(`sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`);
    // A download truncates its file to the full size first and fills it in parts.
    const partial = Buffer.alloc(bytes.length);
    bytes.copy(partial, 0, 0, 24 * 1024);
    await fs.writeFile(path.join(dir, 'blobs', `${name}-partial`), partial);
    await fs.writeFile(
      path.join(dir, 'blobs', `${name}-partial-0`),
      JSON.stringify({ N: 0, Offset: 0, Size: bytes.length, Completed: 24 * 1024 }),
    );
  }
}
