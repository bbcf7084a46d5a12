import type { WebPreferences } from 'electron';

/**
 * The window's web preferences: a sandboxed, context-isolated renderer with no Node.
 *
 * The renderer reaches the engine only through the preload's `window.tend`; everything else
 * a page could use to escape (Node, webviews, insecure content, remote fonts of spellcheck
 * dictionaries) is off, and so are the developer tools in a packaged build.
 */
export function webPreferencesFor(preloadPath: string, packaged = false): WebPreferences {
  return {
    preload: preloadPath,
    // A packaged app has no developer tools: no menu item, no shortcut, no API opens them.
    devTools: !packaged,
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
