import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu, as Electron's template.
 *
 * A packaged build has no way into the developer tools: on Windows and Linux no menu at all
 * (Electron's default one holds "Toggle Developer Tools" and "Reload"), on macOS only the app,
 * Edit and Window menus, which the system expects (Quit, copy and paste). A checkout keeps
 * Electron's default menu for development: `undefined` leaves it as it is; `null` removes it.
 */
export function applicationMenuTemplate(
  platform: NodeJS.Platform,
  packaged: boolean,
): MenuItemConstructorOptions[] | null | undefined {
  if (!packaged) return undefined;
  if (platform !== 'darwin') return null;
  return [
    {
      role: 'appMenu',
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      role: 'editMenu',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { role: 'windowMenu', submenu: [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }] },
  ];
}
