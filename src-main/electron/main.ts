/**
 * The desktop shell: one window, a tray, and the engine behind the contract.
 *
 * Note: nothing here may import the engine statically. In a development checkout the native
 * modules must be redirected to their Electron-ABI builds (native-modules.ts) before the
 * engine, and with it better-sqlite3 and hnswlib-node, is loaded.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, powerMonitor, safeStorage, session } from 'electron';
import type { UnattendedStatus } from '../../src-shared/models/unattended';
import { applicationMenuTemplate } from './app-menu';
import { backupNotification, trayBackupTarget } from './backup-tray';
import { contentSecurityPolicyFor } from './content-security';
import { registerIpc } from './ipc';
import { applyAutostart, hasBackupDestination, loginItemPlan, startsHidden } from './login-item';
import { notify } from './notifications';
import { useElectronNativeModules } from './native-modules';
import { electronPowerSource, watchPower } from './power';
import { applyContentsPolicies, applySessionPolicies } from './security';
import { createTray, type TrayController } from './tray';
import { trayEvents, trayStateAfter, type TrayState } from './tray-menu';
import {
  stoppedNotification,
  stoppedWhy,
  unattendedTrayState,
  type StoppedNotice,
} from './unattended-tray';
import { webPreferencesFor } from './web-preferences';
import { SafeStorageSecrets } from './safe-storage-secrets';
// Pure text, no native modules: safe to load before the engine (see the note above).
import { alertNotification } from '../engine/usage/usage-alerts';
import { osPowerSource } from '../engine/schedule/power-state';

// out/main/index.js; out/ and assets/ are siblings both in a checkout and inside app.asar.
const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = path.resolve(here, '..', '..');
const assetsDir = path.join(appRoot, 'assets');
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');

// electron-vite sets the dev server's URL; a packaged app always loads its own files.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const appUrl = devServerUrl ?? pathToFileURL(rendererIndex).href;

/** How long quitting waits for running jobs to stop before it gives up on them. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

let mainWindow: BrowserWindow | null = null;
/** Set once the user really quits; until then closing the window only hides it. */
let quitting = false;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Tend',
    icon: path.join(assetsDir, 'icon.png'),
    backgroundColor: '#f7f8f5',
    webPreferences: webPreferencesFor(preloadPath, app.isPackaged),
  });
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    if (quitting) return;
    // Tend keeps watching from the tray; Quit is in the tray menu (and Cmd+Q on macOS).
    event.preventDefault();
    window.hide();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  const loaded = devServerUrl ? window.loadURL(devServerUrl) : window.loadFile(rendererIndex);
  loaded.catch((error: unknown) => console.error('Tend could not load its page:', error));
  return window;
}

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/**
 * The tray's "Restore latest backup…": shows the window, then asks its page (through the
 * engine's `restore:confirm-requested` event) to open the one-click confirmation, once the page
 * has loaded and listens.
 */
function requestRestoreConfirm(engine: {
  dispatch(channel: string, input: unknown): Promise<unknown>;
}): void {
  showWindow();
  const contents = mainWindow?.webContents;
  const ask = () => void engine.dispatch('restore:request-confirm', {});
  if (contents?.isLoading()) contents.once('did-finish-load', ask);
  else ask();
}

/** Runs `work`, but gives up waiting after `ms`: a stuck job must not keep Tend from quitting. */
async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`Tend quit before its jobs stopped (waited ${ms / 1000} s).`);
      resolve();
    }, ms);
  });
  await Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function start(): Promise<void> {
  if (!app.isPackaged) useElectronNativeModules(appRoot, process.versions.electron);
  const { Engine } = await import('../engine/engine');
  const { wakeOpenRoot } = await import('../engine/schedule/schedule-wake');
  await app.whenReady();
  const menu = applicationMenuTemplate(process.platform, app.isPackaged);
  if (menu !== undefined) Menu.setApplicationMenu(menu && Menu.buildFromTemplate(menu));

  // The desktop app runs the schedules (backups, upkeep …); a run missed while it was not
  // running starts once now.
  const engine = await Engine.start({
    appStateDir: app.getPath('userData'),
    schedules: true,
    liveUsage: true,
    onScheduleError: (id, error) => {
      console.error(`Tend could not start the scheduled job ${id}:`, error);
      notify('A scheduled job did not start', errorMessage(error), showWindow);
    },
    // Scheduled backups wait on a low battery (the charge from the OS where it can be read).
    power: electronPowerSource(powerMonitor, osPowerSource()),
    // Repository passphrases and S3 keys: the OS keychain through safeStorage.
    secrets: SafeStorageSecrets.inStateDir(safeStorage, app.getPath('userData')),
  });
  const disposeIpc = registerIpc({ engine, appUrl });
  applySessionPolicies(
    session.defaultSession,
    appUrl,
    contentSecurityPolicyFor(devServerUrl ? 'development' : 'production'),
  );

  const lastBackup = engine.rootPath ? (await engine.call('root:info')).lastBackup : null;
  let trayState: TrayState = {
    rootPath: engine.rootPath,
    runningJob: null,
    lastError: null,
    backup: { lastBackupAt: lastBackup?.finishedAt ?? null, backupFailure: null },
  };
  const tray: TrayController = createTray({
    assetsDir,
    state: trayState,
    onClick: showWindow,
    commands: {
      'open-window': showWindow,
      'back-up-now': () => {
        void (async () => {
          // The archives' folder when one is chosen, else the repository (trayBackupTarget).
          const [settings, repository] = await Promise.all([
            engine.call('settings:get').catch(() => null),
            engine.call('repository:status').catch(() => null),
          ]);
          const target = trayBackupTarget(settings?.backup.destination, repository);
          const result =
            target === 'repository'
              ? await engine.dispatch('repository:backup', { kind: 'critical' })
              : await engine.dispatch('backups:create', { kind: 'critical' });
          if (!result.ok) notify('Backup did not start', result.error.message, showWindow);
        })();
      },
      'restore-latest': () => requestRestoreConfirm(engine),
      quit: () => app.quit(),
    },
  });
  const unsubscribe = trayEvents.map((name) =>
    engine.events.on(name, (payload) => {
      trayState = trayStateAfter(trayState, name, payload);
      tray.update(trayState);
    }),
  );
  unsubscribe.push(
    engine.events.on('job:finished', (job) => {
      const text = backupNotification(job);
      if (text) notify(text.title, text.body, showWindow);
    }),
  );
  // "Last backup 2 h ago" ages: redraw the tray each minute (it rebuilds only what changed).
  const ageTimer = setInterval(() => tray.update(trayState), 60_000);
  unsubscribe.push(() => clearInterval(ageTimer));
  // A disk warning (a category growing too fast, low free space) is also a desktop notification.
  unsubscribe.push(
    engine.events.on('alert:raised', (alert) => {
      const { title, body } = alertNotification(alert);
      notify(title, body, showWindow);
    }),
  );

  // Backups without anyone (issue 15): the tray and a daily notification say when backups
  // stopped or wait for power; sleep, power and unlocking wake the schedules; the login item
  // follows the settings.
  let stoppedNotice: StoppedNotice | null = null;
  const refreshUnattended = async () => {
    if (!engine.rootPath) return;
    const status: UnattendedStatus = await engine.call('unattended:status');
    trayState = { ...trayState, unattended: unattendedTrayState(status) };
    tray.update(trayState);
    const text = stoppedNotification(status, stoppedNotice, new Date());
    if (!text) return;
    stoppedNotice = { at: new Date().toISOString(), why: stoppedWhy(status) };
    notify(text.title, text.body, showWindow);
  };
  const applyLoginItem = async () => {
    if (!engine.rootPath) return;
    const settings = await engine.call('settings:get');
    const plan = loginItemPlan(
      {
        platform: process.platform,
        isPackaged: app.isPackaged,
        execPath: process.execPath,
        env: process.env,
        home: app.getPath('home'),
      },
      settings.app.openAtLogin,
      hasBackupDestination(settings),
    );
    if (plan.action === 'login-item') app.setLoginItemSettings(plan.options);
    if (plan.action === 'autostart') await applyAutostart(plan.file, plan.content);
  };
  const refresh = () =>
    void refreshUnattended().catch((error: unknown) =>
      console.error('Tend could not read whether backups run:', error),
    );
  const followSettings = () =>
    void applyLoginItem().catch((error: unknown) =>
      console.error('Tend could not set its login item:', error),
    );
  for (const name of ['unattended:changed', 'backups:changed', 'root:changed'] as const) {
    unsubscribe.push(engine.events.on(name, refresh));
  }
  unsubscribe.push(
    engine.events.on('settings:changed', () => {
      refresh();
      followSettings();
    }),
    engine.events.on('root:changed', followSettings),
    engine.events.on('job:finished', (job) => {
      if (job.kind === 'backup' || job.kind === 'verify') refresh();
    }),
    watchPower(powerMonitor, {
      wake: (sleep) =>
        void wakeOpenRoot(engine, sleep).catch((error: unknown) =>
          console.error('Tend could not catch up after waking:', error),
        ),
      powerChanged: refresh,
    }),
  );
  const healthTimer = setInterval(refresh, 3_600_000);
  unsubscribe.push(() => clearInterval(healthTimer));
  refresh();
  followSettings();

  let stopped = false;
  let stopping: Promise<void> | null = null;
  app.on('before-quit', (event) => {
    quitting = true;
    if (stopped) return;
    // Hold the quit until running jobs have stopped cleanly and the catalog is closed.
    event.preventDefault();
    stopping ??= withTimeout(
      (async () => {
        unsubscribe.forEach((off) => off());
        disposeIpc();
        tray.destroy();
        await engine.close();
      })(),
      SHUTDOWN_TIMEOUT_MS,
    )
      .catch((error: unknown) => console.error('Tend did not shut down cleanly:', error))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  // A hidden window is still open, so this only fires while quitting; staying alive in the
  // tray otherwise is the point.
  app.on('window-all-closed', () => undefined);
  app.on('activate', showWindow);

  // Opened at login, Tend starts in the tray; the window opens from there.
  if (!startsHidden(process.argv, app.getLoginItemSettings())) mainWindow = createWindow();
}

// Tend's state and Chromium's profile live where the CLI looks (app-state.ts):
// <appData>/Tend, or $TEND_STATE_DIR, which the Electron specs use to run in isolation.
// Set before the single-instance lock, which is kept in this folder.
app.setPath('userData', process.env.TEND_STATE_DIR || path.join(app.getPath('appData'), 'Tend'));
if (process.platform === 'win32') app.setAppUserModelId('dev.tend.app');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('web-contents-created', (_event, contents) => applyContentsPolicies(contents, appUrl));
  start().catch((error: unknown) => {
    console.error('Tend could not start:', error);
    const message = error instanceof Error ? error.message : String(error);
    // The dialog may only be shown once the app is ready.
    void app.whenReady().then(() => {
      dialog.showErrorBox('Tend could not start', message);
      quitting = true;
      app.exit(1);
    });
  });
}
