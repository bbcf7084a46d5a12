/**
 * The real desktop app through Playwright's `_electron`. Runs only where Electron's binary is
 * installed; elsewhere every test here reports itself as skipped with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { _electron as electron } from '@playwright/test';
import { expect, makeDemoRoot, projectDir, screenshot, tempFolder, test } from './support/tend';

const electronDir = path.join(projectDir, 'node_modules', 'electron');
const pathFile = path.join(electronDir, 'path.txt');
const binary = fs.existsSync(pathFile)
  ? path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim())
  : null;
const hasBinary = binary !== null && fs.existsSync(binary);

test.skip(
  !hasBinary,
  "Electron's binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1); the desktop specs need it.",
);

test('the desktop window opens the data folder, isolated from Node', async () => {
  const root = makeDemoRoot(3);
  const app = await electron.launch({
    executablePath: binary!,
    args: [path.join(projectDir, 'out', 'main', 'index.js')],
    env: { ...process.env, TEND_STATE_DIR: tempFolder('electron-state'), TEND_ROOT: '' },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Welcome to Tend' })).toBeVisible();
    // The page has the contract client and nothing of Node.
    expect(await window.evaluate(() => typeof (window as { tend?: unknown }).tend)).toBe('object');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
    // A path the page types is not one the person picked: refused before any handler runs.
    const typed = await window.evaluate(
      (folder) =>
        (
          window as unknown as {
            tend: { invoke(channel: string, input: unknown): Promise<unknown> };
          }
        ).tend.invoke('root:open', { path: folder }),
      root,
    );
    expect(typed).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    // The person picks the folder in the native dialog (stubbed in the main process).
    await app.evaluate(({ dialog }, folder) => {
      dialog.showOpenDialog = (async () => ({
        canceled: false,
        filePaths: [folder],
      })) as unknown as typeof dialog.showOpenDialog;
    }, root);
    await window.getByRole('button', { name: "Choose the assistant's folder…" }).click();
    await expect(window.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await screenshot(window, 'desktop-overview');
  } finally {
    await app.close();
  }
});
