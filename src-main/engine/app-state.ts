import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { writeFileDurably } from './fs/durable';

/** What Tend remembers across roots: kept in the app's own folder, never in a root. */
const AppStateSchema = z.object({
  lastRoot: z.string().nullable().default(null),
  recentRoots: z.array(z.string()).default([]),
  /** Backup destinations set for any root: none of them may ever be opened as a data root. */
  destinations: z.array(z.string()).default([]),
});
export type AppState = z.infer<typeof AppStateSchema>;

const FILE = 'tend-state.json';
const MAX_RECENT = 8;
const MAX_DESTINATIONS = 32;

/**
 * The folder Electron gives as `app.getPath('userData')` for an app named Tend, worked out
 * without Electron so the CLI finds the root the desktop app last used.
 */
export function defaultAppStateDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (env.TEND_STATE_DIR) return env.TEND_STATE_DIR;
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Tend');
  if (platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Tend');
  }
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Tend');
}

/** Reads the app state; a missing or damaged file gives a fresh state (it only holds hints). */
export async function readAppState(dir: string): Promise<AppState> {
  try {
    const parsed = AppStateSchema.safeParse(
      JSON.parse(await fs.readFile(path.join(dir, FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : AppStateSchema.parse({});
  } catch {
    return AppStateSchema.parse({});
  }
}

/** Records `root` as the last used, at the head of the recent list. */
export async function rememberRoot(dir: string, root: string): Promise<AppState> {
  const state = await readAppState(dir);
  return writeAppState(dir, {
    ...state,
    lastRoot: root,
    recentRoots: [root, ...state.recentRoots.filter((item) => item !== root)].slice(0, MAX_RECENT),
  });
}

/** Records a backup destination, so no root is ever opened inside it (or around it). */
export async function rememberDestination(dir: string, destination: string): Promise<AppState> {
  const state = await readAppState(dir);
  if (state.destinations.includes(destination)) return state;
  return writeAppState(dir, {
    ...state,
    destinations: [destination, ...state.destinations].slice(0, MAX_DESTINATIONS),
  });
}

async function writeAppState(dir: string, next: AppState): Promise<AppState> {
  await writeFileDurably(path.join(dir, FILE), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
