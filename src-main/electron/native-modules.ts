/**
 * Electron-ABI builds of the native modules for development runs.
 *
 * node_modules holds better-sqlite3 and hnswlib-node built for Node, which the CLI and the
 * tests use. `npm start` runs scripts/electron-native.mjs, which builds copies for Electron
 * under `.electron-native/<electron version>/node_modules/`; this module makes the dev app load
 * those copies' `.node` files. Packaged apps never need it: electron-builder rebuilds the
 * packaged node_modules for Electron.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

/** The native modules that have Electron-ABI copies. */
export const nativeModuleNames = ['better-sqlite3', 'hnswlib-node'] as const;

/** The marker scripts/electron-native.mjs writes once every copy is built. */
export const NATIVE_READY_MARKER = 'ready.json';

/** Where the Electron-ABI copies for one Electron version live in a checkout. */
export function electronNativeDir(appPath: string, electronVersion: string): string {
  return path.join(appPath, '.electron-native', electronVersion);
}

/**
 * The Electron-ABI counterpart of a resolved file, or null when it has none.
 *
 * Only compiled addons (`.node`) of the listed packages are redirected. Their JavaScript is the
 * same in both copies, and redirecting the addon alone works however the package was reached:
 * `import` from the ESM main bundle or `require`, since every addon is loaded by `require`
 * (through the `bindings` package) with an absolute path.
 */
export function electronNativeCounterpart(
  resolved: string,
  nodeModulesDir: string,
  electronModulesDir: string,
  names: ReadonlyArray<string> = nativeModuleNames,
): string | null {
  if (path.extname(resolved) !== '.node') return null;
  for (const name of names) {
    const prefix = path.join(nodeModulesDir, name) + path.sep;
    if (resolved.startsWith(prefix)) {
      return path.join(electronModulesDir, name, resolved.slice(prefix.length));
    }
  }
  return null;
}

type ResolveFilename = (
  this: unknown,
  request: string,
  parent: unknown,
  isMain: boolean,
  options?: unknown,
) => string;

// Module._resolveFilename is Node's long-standing (undocumented, but widely relied on) hook
// point for require resolution; @types/node does not declare it.
const loader = Module as unknown as { _resolveFilename: ResolveFilename };

/**
 * Makes `require` of the listed addons under `nodeModulesDir` load their copies under
 * `electronModulesDir` instead, where a copy exists. Returns the function that undoes it.
 */
export function redirectNativeModules(
  nodeModulesDir: string,
  electronModulesDir: string,
  names: ReadonlyArray<string> = nativeModuleNames,
): () => void {
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolveFilename(request, parent, isMain, options) {
    const resolved = original.call(this, request, parent, isMain, options);
    const counterpart = electronNativeCounterpart(
      resolved,
      nodeModulesDir,
      electronModulesDir,
      names,
    );
    return counterpart !== null && fs.existsSync(counterpart) ? counterpart : resolved;
  };
  return () => {
    loader._resolveFilename = original;
  };
}

/**
 * In a development checkout whose Electron-ABI copies are built, redirects the native modules
 * to them; returns whether it did. Must run before anything imports the engine.
 */
export function useElectronNativeModules(appPath: string, electronVersion: string): boolean {
  const dir = electronNativeDir(appPath, electronVersion);
  if (!fs.existsSync(path.join(dir, NATIVE_READY_MARKER))) return false;
  redirectNativeModules(path.join(appPath, 'node_modules'), path.join(dir, 'node_modules'));
  return true;
}
