/**
 * Starts a typed worker module (a `.ts` file of the engine run in a worker thread) under the
 * bundles and from source alike.
 *
 * Each worker is its own entry of both bundles: electron.vite.config.ts writes it to
 * out/main/<name>.js, scripts/build-cli.mjs to out/cli/<name>.js. The module that starts it may
 * end up in the bundle's top folder or in a shared chunk one folder below, so the bundled file
 * is looked for beside and one folder above the caller. From source (tsx for the CLI, vitest for
 * the tests) the caller's URL ends in .ts: the worker then registers tsx's loader itself before
 * importing the .ts entry, because loader hooks registered on the main thread do not reach
 * worker threads on Node 20.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { TendFailure, type ErrorCode } from '../../../src-shared/errors';

/** Which worker to start, and from where. */
export interface WorkerModule {
  /** The entry's name: `<name>.ts` beside the caller in the sources, `<name>.js` in a bundle. */
  readonly name: string;
  /** The caller's `import.meta.url`: the sources' entry sits beside it. */
  readonly from: string;
  /** The code of the failure when a bundle lacks the worker's file. */
  readonly missingCode: ErrorCode;
}

/** The bundled worker file beside (or one folder above) the bundled caller. */
function bundledWorker(module: WorkerModule): URL {
  // Built at run time, so the bundlers leave `new URL(…, import.meta.url)` alone.
  for (const candidate of [`./${module.name}.js`, `../${module.name}.js`]) {
    const url = new URL(candidate, module.from);
    if (fs.existsSync(fileURLToPath(url))) return url;
  }
  throw new TendFailure(
    module.missingCode,
    `A part of Tend is missing from this build (${module.name}.js). Reinstall Tend.`,
  );
}

/** The URL of tsx's ESM API (its `import` export), resolved from the caller. */
function tsxApiUrl(from: string): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // Runners without import.meta.resolve: require finds the CommonJS twin beside the ESM file.
    const required = createRequire(from).resolve('tsx/esm/api');
    return pathToFileURL(required.replace(/\.cjs$/, '.mjs')).href;
  }
}

/** A new worker thread running the worker module with `options` (its workerData, …). */
export function startWorkerModule(module: WorkerModule, options: WorkerOptions = {}): Worker {
  if (!module.from.endsWith('.ts')) return new Worker(bundledWorker(module), options);
  const entry = new URL(`./${module.name}.ts`, module.from).href;
  const tsx = tsxApiUrl(module.from);
  const bootstrap = `import(${JSON.stringify(tsx)})
    .then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })
    .catch((error) => { throw error; });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
