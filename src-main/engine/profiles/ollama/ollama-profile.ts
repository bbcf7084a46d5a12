/**
 * The Ollama profile: Ollama's model folder (`OLLAMA_MODELS`, else `~/.ollama/models`), from
 * github.com/ollama/ollama (stores/layouts/ollama.ts and stores/ollama-models/ cite the files).
 */
import { ollamaLayout } from '../../stores/layouts/ollama';
import type { Profile } from '../profile';
import { ollamaDemo } from './ollama-demo';
import { ollamaCategoryRules } from './ollama-rules';
import { ollamaStores } from './ollama-stores';

/** The Ollama profile's id. */
export const OLLAMA_PROFILE_ID = 'ollama';

/** Ollama's model folder. */
export const ollamaProfile: Profile = {
  id: OLLAMA_PROFILE_ID,
  name: 'Ollama models',
  appName: 'Ollama',
  summary:
    'Ollama’s model folder (OLLAMA_MODELS): one manifest per model tag under manifests/, naming the layers kept under blobs/ by their SHA-256. Every model can be pulled again; blobs no model uses and unfinished downloads are space to reclaim.',
  markers: [
    // types/model/name.go: the default host of every pulled model.
    {
      path: 'manifests/registry.ollama.ai/',
      what: 'manifests of models pulled from the Ollama registry',
      shape: 'folder',
      weight: 0.6,
    },
    { path: 'blobs/', what: 'model layers (blobs)', shape: 'folder', weight: 0.4 },
    { path: 'manifests/', what: 'model manifests', shape: 'folder', weight: 0.2 },
  ],
  paths: { manifests: 'manifests', blobs: 'blobs' },
  categoryRules: ollamaCategoryRules,
  stores: ollamaStores,
  scopes: [],
  runningApp: {
    // No lock file; the server (`ollama serve`, often a system service) and the desktop app.
    lockFiles: [],
    processNames: ['ollama', 'ollama app'],
  },
  dataLocation: [
    {
      kind: 'env',
      variable: ollamaLayout.location.env ?? 'OLLAMA_MODELS',
      note: 'envconfig/config.go Models(): the server reads its models from here (set it where the server runs: its systemd unit, launchctl, or the Windows user environment).',
    },
  ],
  assistantStore: null,
  newRootFolders: ['manifests', 'blobs'],
  demo: ollamaDemo,
};
