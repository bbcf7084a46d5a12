/**
 * Builds the three parts of the desktop app into out/: main (ESM, Node deps left to
 * node_modules), preload (one CommonJS file, as sandboxed preloads must be) and the renderer.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Every dependency (better-sqlite3, hnswlib-node, zod, …) is loaded from node_modules at
      // run time: native addons cannot be bundled, and electron-builder ships node_modules.
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve(root, 'src-main/electron/main.ts'),
          // Each worker is its own entry: index-worker-client.ts starts
          // out/main/index-build-worker.js with node:worker_threads, jobs/worker-module.ts the
          // others (by the same name, beside or one folder above the chunk that starts them).
          'index-build-worker': resolve(root, 'src-main/engine/vectors/index-build-worker.ts'),
          'integrity-check-worker': resolve(
            root,
            'src-main/engine/restore/integrity-check-worker.ts',
          ),
          'sqlite-snapshot-worker': resolve(
            root,
            'src-main/engine/backup/sqlite-snapshot-worker.ts',
          ),
          'file-writer-worker': resolve(root, 'src-main/engine/fs/file-writer-worker.ts'),
          'archive-inflate-worker': resolve(
            root,
            'src-main/engine/restore/archive-inflate-worker.ts',
          ),
          'blob-decode-worker': resolve(root, 'src-main/engine/repository/blob-decode-worker.ts'),
          'file-seal-worker': resolve(root, 'src-main/engine/repository/file-seal-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload can require only `electron` and a few built-ins, so the contract
      // (and zod under it) is bundled in rather than required from node_modules.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
  },
});
