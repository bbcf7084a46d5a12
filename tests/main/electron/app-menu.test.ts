import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate } from '../../../src-main/electron/app-menu';

/** Every role and label in a template, submenus included. */
function entries(items: ReadonlyArray<MenuItemConstructorOptions>): string[] {
  return items.flatMap((item) => [
    String(item.role ?? item.label ?? item.type),
    ...(Array.isArray(item.submenu) ? entries(item.submenu) : []),
  ]);
}

describe('applicationMenuTemplate', () => {
  it.each<NodeJS.Platform>(['linux', 'win32', 'darwin'])(
    'keeps Electron’s default menu in a checkout on %s',
    (platform) => {
      expect(applicationMenuTemplate(platform, false)).toBeUndefined();
    },
  );

  it.each<NodeJS.Platform>(['linux', 'win32'])('has no menu when packaged on %s', (platform) => {
    expect(applicationMenuTemplate(platform, true)).toBeNull();
  });

  it('keeps only the app, Edit and Window menus when packaged on macOS', () => {
    const template = applicationMenuTemplate('darwin', true)!;
    const all = entries(template);
    expect(template.map((item) => item.role)).toEqual(['appMenu', 'editMenu', 'windowMenu']);
    expect(all).toContain('quit');
    expect(all).toContain('paste');
    for (const door of ['toggleDevTools', 'viewMenu', 'reload', 'forceReload']) {
      expect(all).not.toContain(door);
    }
  });
});
