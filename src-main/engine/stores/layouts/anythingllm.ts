/**
 * AnythingLLM's storage folder, from github.com/Mintplex-Labs/anything-llm (snapshot 72aabbd1,
 * August 2026) and its documentation (docs.anythingllm.com).
 */
import type { SystemLayout } from './system-layout';

const FILES = 'server/utils/files/index.js';
const PRISMA = 'server/prisma/schema.prisma';

/** AnythingLLM's `STORAGE_DIR`. */
export const anythingLlmLayout: SystemLayout = {
  id: 'anythingllm',
  name: 'AnythingLLM',
  sourceRepository: 'github.com/Mintplex-Labs/anything-llm',
  location: {
    env: 'STORAGE_DIR',
    defaults: [
      {
        platform: 'linux',
        path: '~/.config/anythingllm-desktop/storage',
        source:
          'docs.anythingllm.com/installation-desktop/debug: the desktop app lives in ~/.config/anythingllm-desktop on Linux, its data in the storage folder there',
      },
      {
        platform: 'darwin',
        path: '~/Library/Application Support/anythingllm-desktop/storage',
        source:
          'the desktop app is an Electron app named anythingllm-desktop; Electron keeps app data in ~/Library/Application Support/<name> on macOS',
      },
      {
        platform: 'win32',
        path: '%APPDATA%\\anythingllm-desktop\\storage',
        source:
          'the desktop app is an Electron app named anythingllm-desktop; Electron keeps app data in %APPDATA%\\<name> on Windows',
      },
      {
        platform: 'docker',
        path: '/app/server/storage',
        source:
          'docs.anythingllm.com/installation-docker/local-docker: -v ${STORAGE_LOCATION}:/app/server/storage',
      },
    ],
    settingsFile: null,
  },
  paths: [
    {
      path: 'anythingllm.db',
      what: 'Workspaces, documents, chats, users, settings (SQLite, via Prisma)',
      category: 'irreplaceable',
      store: 'sqlite',
      source: `${PRISMA}: datasource db url = "file:../storage/anythingllm.db"`,
    },
    {
      path: 'documents',
      what: 'Parsed documents (JSON), one folder per source',
      category: 'irreplaceable',
      store: 'files',
      source: `${FILES}: documentsPath = path.resolve(process.env.STORAGE_DIR, "documents")`,
    },
    {
      path: 'lancedb',
      what: 'LanceDB tables, one per workspace slug (<slug>.lance)',
      category: 'irreplaceable',
      store: 'lancedb',
      source:
        'server/utils/vectorDbProviders/lance/index.js: uri = path.resolve(basePath, "lancedb"); namespace = workspace slug',
    },
    {
      path: 'vector-cache',
      what: 'Cached embeddings of documents, to embed them again without the model',
      category: 'rebuildable',
      store: null,
      source: `${FILES}: vectorCachePath = path.resolve(process.env.STORAGE_DIR, "vector-cache")`,
    },
    {
      path: 'direct-uploads',
      what: 'Files attached to chats directly',
      category: 'irreplaceable',
      store: 'files',
      source: `${FILES}: directUploadsPath = path.resolve(process.env.STORAGE_DIR, "direct-uploads")`,
    },
    {
      path: 'models',
      what: 'Downloaded models (embedder, LLM providers’ caches)',
      category: 'redownloadable',
      store: null,
      source:
        'server/utils/AiProviders/*/index.js: path.resolve(process.env.STORAGE_DIR, "models", <provider>)',
    },
    {
      path: 'plugins',
      what: 'Agent skills and plugins the user installed',
      category: 'irreplaceable',
      store: 'files',
      source:
        'server/utils/agentFlows/index.js: path.join(process.env.STORAGE_DIR, "plugins", "agent-flows"); server/utils/MCP/hypervisor/index.js: storage/plugins/anythingllm_mcp_servers.json',
    },
    {
      path: 'logs',
      what: 'Logs',
      category: 'disposable',
      store: null,
      source:
        'docs.anythingllm.com/installation-desktop/debug: logs are in the logs folder of the storage',
    },
    {
      path: 'tmp',
      what: 'Temporary files',
      category: 'disposable',
      store: null,
      source:
        'server/utils/EmbeddingEngines/native/index.js: path.resolve(process.env.STORAGE_DIR, "tmp"); collector/utils/files/index.js writes storage/tmp',
    },
  ],
  tables: [
    {
      database: 'anythingllm.db',
      table: 'workspaces',
      columns: ['id', 'name', 'slug'],
      why: 'A workspace is a scope of backup and restore; its slug names its LanceDB table.',
      source: `${PRISMA}: model workspaces`,
    },
    {
      database: 'anythingllm.db',
      table: 'workspace_documents',
      columns: ['id', 'docId', 'filename', 'docpath', 'workspaceId'],
      why: 'Which documents each workspace embedded.',
      source: `${PRISMA}: model workspace_documents`,
    },
    {
      database: 'anythingllm.db',
      table: 'document_vectors',
      columns: ['id', 'docId', 'vectorId'],
      why: 'One row per vector stored for a document: a workspace’s LanceDB table must hold as many rows.',
      source: `${PRISMA}: model document_vectors`,
    },
  ],
};
