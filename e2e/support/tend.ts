/**
 * What the specs share: demo roots made with the real `tend demo`, a real `tend serve` on them,
 * an API caller with the host's token, and screenshots under e2e-output/screenshots/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The checkout's root. */
export const projectDir = path.resolve(here, '..', '..');
const tendBin = path.join(projectDir, 'bin', 'tend.mjs');
const screenshotsDir = path.join(projectDir, 'e2e-output', 'screenshots');

/** Runs `tend` and returns its stdout; throws with stderr when it fails. */
export function tend(args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(process.execPath, [tendBin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TEND_STATE_DIR: e2eStateDir(), ...env },
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(`tend ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}

let sharedState: string | null = null;

/**
 * Tend's state folder of this worker's specs: the CLI and the hosts on a root share it, as a
 * person's command line and app do (Tend keeps a root's settings and history there, never in
 * the root). A host on no root (the first run) gets a fresh one.
 */
export function e2eStateDir(): string {
  sharedState ??= tempFolder('state');
  return sharedState;
}

/** Tend's state folder of a root the specs' CLI or hosts registered (`<state>/roots/<id>/`). */
export function rootStateDir(root: string): string {
  const registry = JSON.parse(
    fs.readFileSync(path.join(e2eStateDir(), 'roots', 'registry.json'), 'utf8'),
  ) as { roots: Array<{ id: string; path: string }> };
  const real = fs.realpathSync(root);
  const entry = registry.roots.find((candidate) => candidate.path === real);
  if (!entry) throw new Error(`${root} is not registered in ${e2eStateDir()}`);
  return path.join(e2eStateDir(), 'roots', entry.id);
}

/** The temp folders this worker made: removed when it ends (tempFolders, below). */
const madeFolders: string[] = [];

/** A fresh temp folder for one spec, removed when the worker ends. */
export function tempFolder(prefix: string): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `tend-e2e-${prefix}-`)));
  madeFolders.push(folder);
  return folder;
}

/** Writes a small demo root (the real `tend demo`) into a new temp folder. */
export function makeDemoRoot(seed = 1, size: 'small' | 'medium' = 'small'): string {
  const root = path.join(tempFolder('root'), 'assistant');
  tend(['demo', '--root', root, '--size', size, '--seed', String(seed)]);
  return root;
}

/** A running `tend serve`. */
export interface TendHost {
  /** The address it printed, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** The root it serves, or null when it started without one. */
  readonly root: string | null;
  /** Calls a channel over HTTP as the page does; returns the Result envelope. */
  api(channel: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
  stop(): Promise<void>;
}

/**
 * Starts `tend serve` on `root` (or on no root, with a private app-state folder so no real
 * user's last root leaks in) and waits for the address it prints. `options.env` adds to the
 * host's environment (a fake HOME, say); `port` and `stateDir` let a spec restart the same host.
 */
export async function startHost(
  root: string | null,
  options: { port?: number; stateDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<TendHost> {
  const stateDir = options.stateDir ?? (root ? e2eStateDir() : tempFolder('state'));
  const port = String(options.port ?? 0);
  const args = [tendBin, 'serve', '--port', port, ...(root ? ['--root', root] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, TEND_STATE_DIR: stateDir, TEND_ROOT: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tend serve did not start: ${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tend serve exited (${code}): ${output}`));
    });
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token')!;
  return {
    url,
    origin: parsed.origin,
    token,
    root,
    async api(channel, input = {}) {
      const response = await fetch(`${parsed.origin}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tend-token': token },
        body: JSON.stringify(input),
      });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Saves a screenshot of the whole page as e2e-output/screenshots/<name>.png, for people to
 * look at. The app scrolls inside its main area, so that area is let out to its full height
 * for the picture (widths stay as they are) and put back afterwards.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const unclip = (on: boolean) =>
    page.evaluate((grow) => {
      // Set through the CSSOM: the page's CSP refuses inline style sheets.
      for (const selector of ['html', 'body', '#root', '.shell']) {
        for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
          if (grow) {
            element.style.setProperty('height', 'auto', 'important');
            element.style.setProperty('min-height', '100vh');
          } else {
            element.style.removeProperty('height');
            element.style.removeProperty('min-height');
          }
        }
      }
      for (const element of Array.from(document.querySelectorAll<HTMLElement>('.main'))) {
        if (grow) element.style.setProperty('overflow', 'visible', 'important');
        else element.style.removeProperty('overflow');
      }
      // Bars that stick to the bottom of the window would float mid-picture.
      for (const element of Array.from(document.querySelectorAll<HTMLElement>('.sticky-actions'))) {
        if (grow) element.style.setProperty('position', 'static', 'important');
        else element.style.removeProperty('position');
      }
    }, on);
  const hasDialog = await page.locator('dialog[open]').count();
  // A modal dialog is pictured over the window as it is, not over a stretched page.
  if (!hasDialog) await unclip(true);
  try {
    await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
  } finally {
    if (!hasDialog) await unclip(false);
  }
}

/**
 * Specs get `demoHost`: one small demo root and one `tend serve` on it per worker, shared by
 * the specs that only read. Specs that change the root make their own with makeDemoRoot.
 */
export const test = base.extend<object, { demoHost: TendHost; tempFolders: void }>({
  /**
   * Removes the worker's temp folders once its specs are done. Note: they were left behind,
   * about 1.1 GiB a run (the one-click restore spec writes a 1 GiB file back), until a disk
   * filled and a later run's backups failed with NO_SPACE.
   */
  tempFolders: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      await use();
      for (const folder of madeFolders.splice(0)) {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
    { scope: 'worker', auto: true },
  ],
  demoHost: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const host = await startHost(makeDemoRoot(1));
      await use(host);
      await host.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';

/**
 * A demo root with a backup destination and one backup made by the real `tend backup create`,
 * so a page opens on a history.
 */
export function demoRootWithBackup(seed: number): {
  root: string;
  destination: string;
  backupId: string;
} {
  const root = makeDemoRoot(seed);
  const destination = path.join(tempFolder('dest'), 'backups');
  tend(['settings', 'set', '--root', root, `backup.destination=${JSON.stringify(destination)}`]);
  const backup = JSON.parse(tend(['backup', 'create', '--root', root, '--json'])) as {
    id: string;
  };
  return { root, destination, backupId: backup.id };
}
