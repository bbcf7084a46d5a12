/**
 * Ollama's model folder, from github.com/ollama/ollama (snapshot fb307609, August 2026). The
 * format of what is inside is in ../ollama-models/ollama-manifest.ts.
 */
import type { SystemLayout } from './system-layout';

/** Ollama's `OLLAMA_MODELS`. */
export const ollamaLayout: SystemLayout = {
  id: 'ollama',
  name: 'Ollama models',
  sourceRepository: 'github.com/ollama/ollama',
  location: {
    env: 'OLLAMA_MODELS',
    defaults: [
      {
        platform: 'linux',
        path: '~/.ollama/models',
        source:
          'envconfig/config.go Models(): filepath.Join(home, ".ollama", "models") unless OLLAMA_MODELS is set',
      },
      {
        platform: 'darwin',
        path: '~/.ollama/models',
        source: 'envconfig/config.go Models(): the same on every platform',
      },
      {
        platform: 'win32',
        path: '%USERPROFILE%\\.ollama\\models',
        source: 'envconfig/config.go Models(): os.UserHomeDir() is %USERPROFILE% on Windows',
      },
      {
        platform: 'docker',
        path: '/root/.ollama/models',
        source: 'envconfig/config.go Models(), run as root in the official image',
      },
    ],
    settingsFile: null,
  },
  paths: [
    {
      path: 'manifests',
      what: 'One manifest per model tag: host/namespace/model/tag',
      category: 'redownloadable',
      store: 'ollama-models',
      source: 'manifest/paths.go Path(); types/model/name.go Filepath()',
    },
    {
      path: 'blobs',
      what: 'Model layers named by their SHA-256 (sha256-<hex>); *-partial while downloading',
      category: 'redownloadable',
      store: 'ollama-models',
      source: 'manifest/paths.go BlobsPath(); server/download.go (b.Name + "-partial")',
    },
  ],
  tables: [],
};
