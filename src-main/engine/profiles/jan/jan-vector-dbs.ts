/**
 * Jan's vector databases: one SQLite file per collection (`attachments_<thread id>.db` for a
 * thread's attachments, docs/dev/rag-implementation.md) in a folder that does NOT follow the
 * data folder: src-tauri/plugins/tauri-plugin-vector-db/src/db.rs `default_base_dir()` is
 * always `dirs::data_dir()/Jan/data/db`. A data folder moved with JAN_DATA_FOLDER or
 * `data_folder` leaves them there, outside it; this module finds them, so a person sees them
 * and a move takes them along.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { OutsidePlace } from '../profile';

/** What the folder depends on: the platform and its environment. */
export interface JanSystem {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * `dirs::data_dir()` of the `dirs` crate: $XDG_DATA_HOME (absolute) or ~/.local/share on Linux,
 * ~/Library/Application Support on macOS, %APPDATA% (Roaming) on Windows.
 */
export function systemDataDir(system: JanSystem): string {
  const { platform, home, env } = system;
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming');
  const xdg = env.XDG_DATA_HOME;
  return xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
}

/** The folder Jan's vector databases are in (db.rs `default_base_dir()`). */
export function janVectorDbFolder(system: JanSystem): string {
  const join = system.platform === 'win32' ? path.win32.join : path.posix.join;
  return join(systemDataDir(system), 'Jan', 'data', 'db');
}

/** The thread a collection belongs to, from its file name (`attachments_<thread>.db`). */
export function threadOfCollection(fileName: string): string | null {
  const match = /^attachments_(.+)\.db$/.exec(fileName);
  return match?.[1] ?? null;
}

/**
 * Jan's vector databases that live outside `root`, each with its size; none when the folder is
 * inside the root (then they are the root's `db/`, backed up with it) or does not exist.
 */
export async function janVectorDbsOutside(
  root: string,
  system: JanSystem = {
    platform: process.platform,
    home: process.env.HOME ?? '',
    env: process.env,
  },
): Promise<OutsidePlace[]> {
  const folder = janVectorDbFolder(system);
  const real = await fs.realpath(folder).catch(() => null);
  if (!real) return [];
  const relative = path.relative(root, real).split(path.sep).join('/');
  const inside =
    relative === '' ||
    (relative !== '..' && !relative.startsWith('../') && !path.isAbsolute(relative));
  if (inside) return [];
  const entries = await fs.readdir(real, { withFileTypes: true }).catch(() => []);
  const places: OutsidePlace[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isFile() || !entry.name.endsWith('.db')) continue;
    const stat = await fs.stat(path.join(real, entry.name)).catch(() => null);
    if (!stat) continue;
    const thread = threadOfCollection(entry.name);
    places.push({
      path: path.join(folder, entry.name),
      what: thread
        ? `the vector database of thread ${thread}’s attachments`
        : `a vector database (${entry.name.slice(0, -3)})`,
      bytes: stat.size,
      category: 'irreplaceable',
      why: 'Jan keeps its vector databases in its default data folder even when the data folder has moved (tauri-plugin-vector-db db.rs default_base_dir()); back them up and move them along with the data folder.',
    });
  }
  return places;
}
