import { generateDemo } from '../../demo/demo-generator';
import type { ProfileDemo } from '../profile';

/**
 * The native demo: collections with 384-dimension embeddings and their HNSW indexes,
 * documents, chats, months of interactions, logs, caches, model files and a legacy `data/`
 * folder (demo/demo-generator.ts).
 */
export const nativeDemo: ProfileDemo = {
  write: ({ root, size, seed, signal, onProgress }) =>
    generateDemo({ root, size, seed, signal, onProgress }),
};
