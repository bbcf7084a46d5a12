/**
 * Tend's state of a root in tests: it lives in the state folder the engine or the CLI was
 * started with (`<state>/roots/<id>/`), found through the registry, never in the root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { rootStateAt, type RootState } from '../../src-main/engine/root/root-state';

/** Tend's state of `root` under `appStateDir`; fails the test when the root is not registered. */
export function stateOfRoot(appStateDir: string, root: string): RootState {
  const registry = JSON.parse(
    fs.readFileSync(path.join(appStateDir, 'roots', 'registry.json'), 'utf8'),
  ) as { roots: Array<{ id: string; path: string }> };
  const real = fs.realpathSync(root);
  const entry = registry.roots.find((candidate) => candidate.path === real);
  if (!entry) throw new Error(`${root} is not registered in ${appStateDir}`);
  return rootStateAt(path.join(appStateDir, 'roots', entry.id));
}

/** Every entry under a folder, hidden ones included, as sorted relative paths. */
export function entriesUnder(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .map((entry) => entry.split(path.sep).join('/'))
    .sort();
}
