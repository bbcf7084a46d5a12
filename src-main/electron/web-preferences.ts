import type { WebPreferences } from 'electron';

/**
 * The window's web preferences: a sandboxed, context-isolated renderer with no Node.
 *
 * The renderer reaches the engine only through the preload's `window.tend`; everything else
 * a page could use to escape (Node, webviews, insecure content, remote fonts of spellcheck
 * dictionaries) is off.
 */
export function webPreferencesFor(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // The spellchecker downloads dictionaries from Google's CDN; Tend has no free text to check.
    spellcheck: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}
