/**
 * Ollama's one store: the model folder itself, manifests naming content-addressed blobs. Its
 * check finds blobs no manifest names and unfinished downloads (each with its size, space to
 * reclaim) and manifests whose blobs are gone; a verify hashes every blob against its name.
 */
import { ollamaModelsStore, type OllamaFacts } from '../../stores/ollama-models/ollama-store';
import type { StoreCheck } from '../../stores/store-finding';
import type { StoreRunOptions } from '../../stores/store-kind';
import type { ProfileStore } from '../profile';
import { defineStore, summarised } from '../profile-store';

/**
 * Every blob a manifest names, hashed: a blob whose content does not hash to its name
 * (`sha256-<hex>`) is OLLAMA_BLOB_HASH_MISMATCH, named with the models that use it. Reads every
 * byte, so it reports progress and can be cancelled.
 */
export function verifyOllamaModels(
  root: string,
  options: StoreRunOptions = {},
): Promise<StoreCheck<OllamaFacts>> {
  return ollamaModelsStore.validate({ dir: root, verify: true }, options);
}

/**
 * The model folder. Its instance is found by `blobs/` (where the bytes are, and what a restore
 * brings back) and reads the whole folder from the root.
 */
const models = defineStore({
  id: 'models',
  title: 'Ollama models',
  kind: ollamaModelsStore,
  paths: ['blobs'],
  shape: 'folder',
  category: 'redownloadable',
  locate: ({ root }) => ({ dir: root }),
  validation:
    'Every manifest parses and every blob it names is there with the size it says; blobs no manifest names and unfinished downloads are listed with their sizes. A verify also hashes every blob against its name.',
  label: () => 'Ollama models',
  validate: async ({ root }, _location, options) =>
    summarised(await ollamaModelsStore.validate({ dir: root }, options)),
});

/** Ollama's stores. */
export const ollamaStores: ReadonlyArray<ProfileStore> = [models];
