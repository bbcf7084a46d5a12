/**
 * A demo Ollama model folder: models as `ollama pull` leaves them, a blob of a model removed
 * since that no manifest names, and a download that did not finish (stores/ollama-models/
 * ollama-demo.ts writes each as Ollama does). The same seed writes the same bytes.
 */
import type { DemoSize } from '../../../../src-shared/models/demo';
import { tallyDemo } from '../demo-tally';
import { writeOllamaDemo, type OllamaDemoModel } from '../../stores/ollama-models/ollama-demo';
import type { ProfileDemo, ProfileDemoOptions } from '../profile';

const KIB = 1024;

/** The models of each size (the model layer's bytes stand in for the real gigabytes). */
const MODELS: Readonly<Record<DemoSize, ReadonlyArray<OllamaDemoModel>>> = {
  small: [
    { name: 'llama3.2:1b', modelBytes: 96 * KIB },
    { name: 'nomic-embed-text:latest', modelBytes: 48 * KIB },
  ],
  medium: [
    { name: 'llama3.2:1b', modelBytes: 4 * 1024 * KIB },
    { name: 'llama3.2:3b', modelBytes: 8 * 1024 * KIB },
    { name: 'nomic-embed-text:latest', modelBytes: 1024 * KIB },
    { name: 'qwen2.5-coder:7b', modelBytes: 16 * 1024 * KIB },
  ],
  large: [
    { name: 'llama3.2:1b', modelBytes: 40 * 1024 * KIB },
    { name: 'llama3.2:3b', modelBytes: 80 * 1024 * KIB },
    { name: 'nomic-embed-text:latest', modelBytes: 8 * 1024 * KIB },
    { name: 'qwen2.5-coder:7b', modelBytes: 160 * 1024 * KIB },
    { name: 'mistral:latest', modelBytes: 120 * 1024 * KIB },
  ],
};

/** Writes the demo into `root` (Ollama's models folder). */
async function writeDemo({ root, size, seed, signal, onProgress }: ProfileDemoOptions) {
  signal.throwIfAborted();
  onProgress({ currentPath: 'blobs' });
  await writeOllamaDemo(root, {
    seed: String(seed),
    models: MODELS[size],
    orphan: true,
    partial: true,
  });
  const { files, bytes } = await tallyDemo(root, onProgress);
  return { root, files, bytes, models: MODELS[size].length };
}

/** The Ollama demo (`tend demo --profile ollama`). */
export const ollamaDemo: ProfileDemo = { write: writeDemo };
