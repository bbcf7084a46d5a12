/**
 * Ollama's model store, from Ollama's own source (github.com/ollama/ollama, snapshot fb307609,
 * August 2026):
 *
 * - envconfig/config.go `Models()`: the folder is `$OLLAMA_MODELS`, else `~/.ollama/models`.
 * - manifest/paths.go: manifests live under `manifests/`, blobs under `blobs/`; a blob's file
 *   name is its digest with `:` made `-` (`sha256-<64 hex>`), and only such digests are accepted.
 * - types/model/name.go `Filepath()` / `ParseNameFromFilepath`: a manifest's path below
 *   `manifests/` is `<host>/<namespace>/<model>/<tag>`; the defaults are `registry.ollama.ai`,
 *   `library` and `latest`, left out when a name is shown.
 * - manifest/manifest.go `Manifest` and manifest/layer.go `Layer`: the JSON shape below;
 *   `WriteManifest` writes schemaVersion 2 and the Docker v2 media type with `json.Encoder`.
 * - server/download.go: a download in progress is `<blob>-partial`, with `<blob>-partial-<n>`
 *   files for its parts; server/images.go `PruneLayers` deletes blobs no manifest names.
 */
import { z } from 'zod';

/** A blob digest as Ollama accepts it (manifest/paths.go `BlobsPath`). */
export const DIGEST = /^sha256[:-][0-9a-fA-F]{64}$/;

/** One layer of a manifest (manifest/layer.go). */
export const OllamaLayerSchema = z.object({
  mediaType: z.string(),
  digest: z.string().regex(DIGEST),
  size: z.number().int().min(0),
  from: z.string().optional(),
  name: z.string().optional(),
});
export type OllamaLayer = z.infer<typeof OllamaLayerSchema>;

/** A model's manifest (manifest/manifest.go). */
export const OllamaManifestSchema = z.object({
  schemaVersion: z.number().int(),
  mediaType: z.string(),
  config: OllamaLayerSchema,
  layers: z.array(OllamaLayerSchema),
});
export type OllamaManifest = z.infer<typeof OllamaManifestSchema>;

/** The media type `WriteManifest` gives every manifest. */
export const MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

const DEFAULT_HOST = 'registry.ollama.ai';
const DEFAULT_NAMESPACE = 'library';

/** The blob file name of a digest: `sha256:ab…` → `sha256-ab…`. */
export function blobFileName(digest: string): string {
  return digest.replace(':', '-');
}

/**
 * The model name of a manifest path below `manifests/` (`host/namespace/model/tag`), shown as
 * Ollama shows it (`llama3.1:8b`, `myname/model:tag`, `host/ns/model:tag`); null when the path
 * does not have the four parts.
 */
export function modelNameOf(manifestPath: string): string | null {
  const parts = manifestPath.split('/');
  if (parts.length !== 4 || parts.some((part) => part === '')) return null;
  const [host, namespace, model, tag] = parts as [string, string, string, string];
  if (host.toLowerCase() !== DEFAULT_HOST) return `${host}/${namespace}/${model}:${tag}`;
  if (namespace.toLowerCase() !== DEFAULT_NAMESPACE) return `${namespace}/${model}:${tag}`;
  return `${model}:${tag}`;
}

/** The manifest path below `manifests/` of a model name like `llama3.1:8b` or `me/model`. */
export function manifestPathOf(name: string): string {
  const [path, tag = 'latest'] = name.includes(':') ? name.split(':') : [name];
  const parts = (path ?? '').split('/');
  const model = parts.pop() ?? '';
  const namespace = parts.pop() ?? DEFAULT_NAMESPACE;
  const host = parts.pop() ?? DEFAULT_HOST;
  return `${host}/${namespace}/${model}/${tag}`;
}

/** Whether a blob file name is a partial download (`…-partial` or `…-partial-<n>`). */
export function isPartialDownload(fileName: string): boolean {
  return /-partial(-\d+)?$/.test(fileName);
}
