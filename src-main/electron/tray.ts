/**
 * The tray icon and its menu: turns trayMenuTemplate's plain data into Electron's menu and
 * swaps the icon as jobs run, finish and fail.
 */
import path from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import {
  trayIconFor,
  trayMenuTemplate,
  trayStatus,
  type TrayCommand,
  type TrayIcon,
  type TrayMenuItem,
  type TrayState,
} from './tray-menu';

/** What each tray command does. */
export type TrayCommands = Readonly<Record<TrayCommand, () => void>>;

/** The tray, as main.ts drives it. */
export interface TrayController {
  update(state: TrayState): void;
  destroy(): void;
}

/** Electron's menu for the plain template. */
export function buildTrayMenu(items: ReadonlyArray<TrayMenuItem>, commands: TrayCommands): Menu {
  const template = items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (!item.enabled) return { label: item.label, enabled: false };
    const run = commands[item.command];
    return { label: item.label, click: () => run() };
  });
  return Menu.buildFromTemplate(template);
}

/**
 * Shows the tray icon. `assetsDir` holds tray-<icon>.png; Electron picks up the @2x files
 * beside them on high-DPI screens.
 */
export function createTray(options: {
  assetsDir: string;
  state: TrayState;
  commands: TrayCommands;
  onClick: () => void;
}): TrayController {
  const image = (icon: TrayIcon) =>
    nativeImage.createFromPath(path.join(options.assetsDir, `tray-${icon}.png`));
  const tray = new Tray(image(trayIconFor(options.state)));
  // Linux shows only the menu; Windows and macOS also report a plain click.
  tray.on('click', options.onClick);
  let shown = '';
  const update = (state: TrayState) => {
    const icon = trayIconFor(state);
    const items = trayMenuTemplate(state);
    // Progress events arrive often; rebuild the native menu only when what it shows changed.
    const key = JSON.stringify([icon, items]);
    if (key === shown) return;
    shown = key;
    tray.setImage(image(icon));
    tray.setToolTip(`Tend — ${trayStatus(state)}`);
    tray.setContextMenu(buildTrayMenu(items, options.commands));
  };
  update(options.state);
  return { update, destroy: () => tray.destroy() };
}
