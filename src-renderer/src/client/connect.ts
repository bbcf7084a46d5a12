import type { TendClient } from '../../../src-shared/client';
import { createHttpClient } from './http-client';
import { takeToken } from './token';
import './window-tend';

/**
 * The client the app talks to: the preload's `window.tend` in the desktop app, the HTTP client
 * when the page comes from `tend serve`. Nothing past this function knows which.
 */
export function connectClient(
  win: Window = window,
  options: { onStreamError?: () => void } = {},
): TendClient {
  if (win.tend) return win.tend;
  const token = takeToken({
    location: win.location,
    storage: win.sessionStorage,
    history: win.history,
  });
  return createHttpClient({ token, onStreamError: options.onStreamError });
}
