import { describe, expect, it, vi } from 'vitest';
import type { TrayState } from '../../../src-main/electron/tray-menu';

// Electron is the one thing faked: a Menu that keeps its template, a Tray that records calls.
const electron = vi.hoisted(() => {
  class FakeTray {
    static made: FakeTray[] = [];
    calls: Array<[string, unknown]> = [];
    clickListener: (() => void) | null = null;
    constructor(readonly image: unknown) {
      FakeTray.made.push(this);
    }
    on(_name: string, listener: () => void) {
      this.clickListener = listener;
    }
    setImage(image: unknown) {
      this.calls.push(['image', image]);
    }
    setToolTip(text: string) {
      this.calls.push(['tooltip', text]);
    }
    setContextMenu(menu: unknown) {
      this.calls.push(['menu', menu]);
    }
    destroy() {
      this.calls.push(['destroy', null]);
    }
  }
  return { FakeTray };
});
vi.mock('electron', () => ({
  Menu: { buildFromTemplate: (template: unknown) => ({ template }) },
  nativeImage: { createFromPath: (file: string) => ({ file }) },
  Tray: electron.FakeTray,
}));

const { buildTrayMenu, createTray } = await import('../../../src-main/electron/tray');
const { trayMenuTemplate } = await import('../../../src-main/electron/tray-menu');

type Template = Array<{ label?: string; enabled?: boolean; type?: string; click?: () => void }>;
const templateOf = (menu: unknown) => (menu as { template: Template }).template;

const idle: TrayState = { rootPath: '/data/assistant', runningJob: null, lastError: null };

function recordingCommands() {
  const ran: string[] = [];
  const commands = {
    'open-window': () => ran.push('open-window'),
    'back-up-now': () => ran.push('back-up-now'),
    'restore-latest': () => ran.push('restore-latest'),
    quit: () => ran.push('quit'),
  };
  return { ran, commands };
}

describe('buildTrayMenu', () => {
  it('turns each item into a menu entry whose click runs its command', () => {
    const { ran, commands } = recordingCommands();
    const items = trayMenuTemplate(idle);
    const template = templateOf(buildTrayMenu(items, commands));
    expect(template).toHaveLength(items.length);
    expect(template[0]).toEqual({ label: 'Watching assistant', enabled: false });
    for (const [i, item] of items.entries()) {
      const entry = template[i];
      if (item.type === 'separator') expect(entry).toEqual({ type: 'separator' });
      else if (item.enabled) {
        expect(entry?.label).toBe(item.label);
        entry?.click?.();
        expect(ran.at(-1)).toBe(item.command);
      }
    }
    expect(ran).toContain('quit');
    expect(ran).toContain('open-window');
  });
});

describe('createTray', () => {
  it('shows the icon, tooltip and menu of the state, and opens the window on a click', () => {
    const { commands } = recordingCommands();
    let clicked = 0;
    const controller = createTray({
      assetsDir: '/app/assets',
      state: idle,
      commands,
      onClick: () => (clicked += 1),
    });
    const tray = electron.FakeTray.made.at(-1);
    expect(tray?.image).toEqual({ file: '/app/assets/tray-idle.png' });
    expect(tray?.calls.find(([name]) => name === 'tooltip')).toEqual([
      'tooltip',
      'Tend — Watching assistant',
    ]);
    tray?.clickListener?.();
    expect(clicked).toBe(1);
    controller.destroy();
    expect(tray?.calls.at(-1)).toEqual(['destroy', null]);
  });

  it('rebuilds the menu only when what it shows changed', () => {
    const { commands } = recordingCommands();
    const controller = createTray({ assetsDir: '/a', state: idle, commands, onClick: () => {} });
    const tray = electron.FakeTray.made.at(-1);
    const menus = () => tray?.calls.filter(([name]) => name === 'menu').length;
    expect(menus()).toBe(1);
    controller.update({ ...idle });
    expect(menus()).toBe(1);
    controller.update({
      ...idle,
      runningJob: { id: 'j', kind: 'backup', title: 'Backing up', percent: 5 },
    });
    expect(menus()).toBe(2);
    expect(tray?.calls.filter(([name]) => name === 'image').at(-1)).toEqual([
      'image',
      { file: '/a/tray-running.png' },
    ]);
    controller.update({
      ...idle,
      runningJob: { id: 'j', kind: 'backup', title: 'Backing up', percent: 6 },
    });
    expect(menus()).toBe(3);
    controller.update({ ...idle, lastError: 'The disk is full.' });
    expect(tray?.calls.filter(([name]) => name === 'image').at(-1)).toEqual([
      'image',
      { file: '/a/tray-failed.png' },
    ]);
  });
});
