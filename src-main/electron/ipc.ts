/**
 * The Electron transport: every invoke channel of the contract as an `ipcMain.handle`, every
 * engine event sent to each window. The only module that touches `ipcMain`.
 *
 * Generic on purpose: a channel added to the contract is carried here without a line of
 * code. The one exception is the folder picker, which only the desktop shell can answer.
 */
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { eventNames, invokeChannels, type Channel } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import type { Handlers } from '../engine/dispatch';
import type { Engine } from '../engine/engine';
import { isAppOrigin } from './app-origin';
import {
  fileDialogOptions,
  folderDialogOptions,
  grantPick,
  pickedFolder,
  pickedSaveFile,
} from './folder-picker';

/** What the transport needs of the engine. */
export type IpcEngine = Pick<Engine, 'dispatch' | 'handlers' | 'events' | 'grants'>;

/** How to wire the transport. */
export interface IpcOptions {
  engine: IpcEngine;
  /** The app's own page; calls from any other frame are refused. */
  appUrl: string;
}

const forbidden: Result<never> = {
  ok: false,
  error: {
    code: 'FORBIDDEN_ORIGIN',
    message: "Only Tend's own page may call Tend.",
  },
};

/** The window a dialog is attached to, so it is modal to it and stays on top of it. */
function dialogParent(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

/**
 * The engine's handlers with the pickers answered by the native dialogs. Each pick is granted
 * a handle in the engine for its purpose: the page passes the handle back, never a path of
 * its own making.
 */
export function desktopHandlers(engine: IpcEngine): Handlers {
  return {
    ...engine.handlers,
    'root:pick-folder': async ({ purpose }) => {
      const parent = dialogParent();
      const options = folderDialogOptions(purpose);
      const result = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
      return grantPick(engine.grants, pickedFolder(result), purpose);
    },
    'root:pick-file': async (request) => {
      const parent = dialogParent();
      const asked = fileDialogOptions(request);
      const picked =
        asked.dialog === 'save'
          ? pickedSaveFile(
              parent
                ? await dialog.showSaveDialog(parent, asked.options)
                : await dialog.showSaveDialog(asked.options),
            )
          : pickedFolder(
              parent
                ? await dialog.showOpenDialog(parent, asked.options)
                : await dialog.showOpenDialog(asked.options),
            );
      return grantPick(engine.grants, picked, request.purpose);
    },
  };
}

/**
 * Registers a handler for every invoke channel and forwards every event to the windows.
 * Returns the function that undoes both.
 */
export function registerIpc({ engine, appUrl }: IpcOptions): () => void {
  const handlers = desktopHandlers(engine);
  const channels = Object.keys(invokeChannels) as Channel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      // senderFrame is null once the frame navigated away or was destroyed: refuse that too.
      const frameUrl = event.senderFrame?.url;
      if (frameUrl === undefined || !isAppOrigin(frameUrl, appUrl)) return forbidden;
      return engine.dispatch(channel, input, { handlers, transport: 'desktop' });
    });
  }
  const unsubscribe = eventNames.map((name) =>
    engine.events.on(name, (payload) => {
      for (const window of BrowserWindow.getAllWindows()) {
        if (!window.isDestroyed()) window.webContents.send(name, payload);
      }
    }),
  );
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    for (const off of unsubscribe) off();
  };
}
