/**
 * The sandboxed preload: exposes `window.tend`, the contract client, and nothing else.
 *
 * The page never sees ipcRenderer or an IPC event object; names outside the contract are
 * refused here, before they reach the main process (which checks again).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { TendClient } from '../../src-shared/client';
import { isChannel, isEventName, type PayloadOf } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';

/** The part of ipcRenderer the bridge uses. */
export type IpcRendererLike = Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** The client the preload exposes, over an ipcRenderer. */
export function createTendBridge(ipc: IpcRendererLike): TendClient {
  return {
    invoke(channel, input) {
      if (typeof channel !== 'string' || !isChannel(channel)) {
        const refused: Result<never> = {
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel ${String(channel)}.` },
        };
        return Promise.resolve(refused);
      }
      return ipc.invoke(channel, input);
    },
    on(event, listener) {
      if (typeof event !== 'string' || !isEventName(event)) {
        throw new TypeError(`There is no event ${String(event)}.`);
      }
      if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
      // Only the payload crosses: the IPC event object would hand the page a way back to ipc.
      const forward = (_event: IpcRendererEvent, payload: unknown) =>
        listener(payload as PayloadOf<typeof event>);
      ipc.on(event, forward);
      return () => {
        ipc.removeListener(event, forward);
      };
    },
  };
}

contextBridge.exposeInMainWorld('tend', createTendBridge(ipcRenderer));
