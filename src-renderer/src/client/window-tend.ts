import type { TendClient } from '../../../src-shared/client';

declare global {
  interface Window {
    /**
     * The contract client the Electron preload exposes through contextBridge.
     *
     * Absent when the page is served by `tend serve`; the HTTP client stands in then.
     */
    tend?: TendClient;
  }
}

export {};
