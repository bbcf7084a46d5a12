#!/usr/bin/env node
/**
 * Bundles the `tend` command line into out/cli/ with esbuild, so bin/tend.mjs starts built
 * JavaScript instead of compiling TypeScript through tsx at every command.
 *
 *   node scripts/build-cli.mjs              build (`npm run build:cli`; `prepare` runs it after
 *                                           every `npm install` and `npm ci`)
 *   node scripts/build-cli.mjs --if-stale   build only when bin/tend.mjs would not run the
 *                                           bundle (the tests and the bench start with this)
 *
 * The bundle: out/cli/main.cjs, the whole command line in one CommonJS file, and the worker
 * entries out/cli/index-build-worker.js, integrity-check-worker.js, sqlite-snapshot-worker.js,
 * file-writer-worker.js, archive-inflate-worker.js, blob-decode-worker.js and
 * file-seal-worker.js (ES modules, which
 * their clients look for beside their own file: vectors/index-worker-client.ts,
 * jobs/worker-module.ts) with their shared out/cli/chunks/*.js.
 *
 * One file, because V8 can keep the compiled code of one script between runs and Node 20 has no
 * such cache for ES modules (module.enableCompileCache came with Node 22): bin/tend.mjs runs
 * main.cjs through scripts/cli-code-cache.mjs, which reuses that code and saves about a third
 * of `tend info`'s CPU time. Every `await import()` in the sources still runs its module at that
 * call only (esbuild wraps such a module in an init function): `tend --help` runs the command
 * line, a command runs the engine, each domain's handlers run at their first channel call.
 * Native addons stay in node_modules (they cannot be bundled); pure JavaScript dependencies
 * are bundled, so a command resolves a few files rather than hundreds.
 *
 * esbuild is the bundler DESIGN §8 names for the CLI; electron-vite builds the desktop app.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_COMMAND, BUILD_RECORD, CLI_OUT_DIR, cliBuildState } from './cli-build-state.mjs';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Packages with native addons: loaded from node_modules at run time, never bundled. */
const NATIVE = [
  'better-sqlite3',
  'hnswlib-node',
  'zstd-napi',
  '@lancedb/lancedb',
  'pg',
  'ssh2',
  'ssh2-sftp-client',
  'sodium-native',
  '@parcel/watcher',
  '@napi-rs/keyring',
];

/**
 * Large libraries only a few commands load, at their first use: the S3 destination's client
 * (about 1 MB of the bundle with its dependencies) and the phone-number library of the
 * maintenance jobs (250 KB). Left out of main.cjs, they are read from node_modules when one of
 * those commands runs; in the bundle they would cost every command, `tend --help` included, the
 * time V8 takes to scan them (or to read their part of the code cache) at each start.
 */
const SELDOM = ['@aws-sdk/*', 'libphonenumber-js', 'libphonenumber-js/*'];

/**
 * Builds the bundle into a fresh folder beside out/cli and swaps it in, then writes the build
 * record bin/tend.mjs checks. Returns what it wrote.
 *
 * @returns {Promise<{ files: number, bytes: number, seconds: number }>}
 */
export async function buildCli() {
  const { build } = await import('esbuild');
  const startedAtMs = Date.now();
  const outDir = path.join(projectDir, CLI_OUT_DIR);
  const nextDir = `${outDir}.next-${process.pid}`;
  fs.rmSync(nextDir, { recursive: true, force: true });
  const common = {
    absWorkingDir: projectDir,
    outdir: nextDir,
    bundle: true,
    platform: 'node',
    target: 'node20.19',
    // `electron` never runs in the CLI; left out so a stray import fails loudly, not bundled.
    external: [...NATIVE, 'electron'],
    // Whitespace and syntax only: names stay, so a stack trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  };
  const [main, workers] = await Promise.all([
    build({
      ...common,
      external: [...common.external, ...SELDOM],
      entryPoints: { main: 'src-main/cli/main.ts' },
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      // import() of a package left in node_modules becomes require(): under Node 20 a script
      // compiled from V8's code cache has no import() ("A dynamic import callback was not
      // specified"). Every such package has a CommonJS entry (or is required as an ES module).
      supported: { 'dynamic-import': false },
      // The sources are ES modules: their import.meta becomes the CommonJS file's own name.
      banner: {
        js: "const __tendImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      },
      define: {
        'import.meta.url': '__tendImportMetaUrl',
        'import.meta.filename': '__filename',
        'import.meta.dirname': '__dirname',
      },
    }),
    build({
      ...common,
      entryPoints: {
        'index-build-worker': 'src-main/engine/vectors/index-build-worker.ts',
        'integrity-check-worker': 'src-main/engine/restore/integrity-check-worker.ts',
        'sqlite-snapshot-worker': 'src-main/engine/backup/sqlite-snapshot-worker.ts',
        'file-writer-worker': 'src-main/engine/fs/file-writer-worker.ts',
        'archive-inflate-worker': 'src-main/engine/restore/archive-inflate-worker.ts',
        'blob-decode-worker': 'src-main/engine/repository/blob-decode-worker.ts',
        'file-seal-worker': 'src-main/engine/repository/file-seal-worker.ts',
      },
      splitting: true,
      format: 'esm',
      chunkNames: 'chunks/[name]-[hash]',
      // Bundled CommonJS dependencies call require() and read __filename: give the ES modules
      // both (import.meta.filename and import.meta.dirname exist from Node 20.11).
      banner: {
        js: "import { createRequire as __tendCreateRequire } from 'node:module'; const require = __tendCreateRequire(import.meta.url);",
      },
      define: { __filename: 'import.meta.filename', __dirname: 'import.meta.dirname' },
    }),
  ]);
  const result = {
    metafile: {
      inputs: { ...workers.metafile.inputs, ...main.metafile.inputs },
      outputs: { ...main.metafile.outputs, ...workers.metafile.outputs },
    },
  };
  const sources = Object.keys(result.metafile.inputs)
    .filter((input) => !input.split('/').includes('node_modules'))
    // A change to how the bundle is made makes it stale too.
    .concat('scripts/build-cli.mjs', 'scripts/cli-build-state.mjs', 'scripts/cli-code-cache.mjs')
    .sort();
  fs.writeFileSync(
    path.join(nextDir, BUILD_RECORD),
    `${JSON.stringify({ startedAtMs, builtAt: new Date(startedAtMs).toISOString(), sources }, null, 2)}\n`,
  );
  // What went into which file, named as they are once swapped in (the tests read it).
  fs.writeFileSync(
    path.join(nextDir, 'meta.json'),
    JSON.stringify(result.metafile).replaceAll(
      `${path.relative(projectDir, nextDir)}/`,
      `${CLI_OUT_DIR.split(path.sep).join('/')}/`,
    ),
  );
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(nextDir, outDir);
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => /\.c?js$/.test(file));
  return {
    files: outputs.length,
    bytes: outputs.reduce((sum, [, output]) => sum + output.bytes, 0),
    seconds: (Date.now() - startedAtMs) / 1000,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  const state = cliBuildState(projectDir);
  if (ifStale && state.fresh) process.exit(0);
  try {
    await import('esbuild');
  } catch {
    // An install without dev dependencies: bin/tend.mjs then says what is missing.
    process.stderr.write(
      `build-cli: esbuild is not installed; ${BUILD_COMMAND} needs the dev dependencies.\n`,
    );
    process.exit(ifStale ? 0 : 1);
  }
  if (!state.fresh) process.stderr.write(`build-cli: ${state.reason}; building.\n`);
  const built = await buildCli();
  process.stderr.write(
    `build-cli: wrote ${CLI_OUT_DIR}/ (${built.files} files, ${(built.bytes / 1024 / 1024).toFixed(1)} MiB) in ${built.seconds.toFixed(1)} s\n`,
  );
}
