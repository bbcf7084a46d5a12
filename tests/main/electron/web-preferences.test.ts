import { describe, expect, it } from 'vitest';
import { webPreferencesFor } from '../../../src-main/electron/web-preferences';

describe('webPreferencesFor', () => {
  const prefs = webPreferencesFor('/app/out/preload/index.cjs');

  it('loads the given preload', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['spellcheck', false],
    ['experimentalFeatures', false],
    ['navigateOnDragDrop', false],
  ] as const)('sets %s to %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('keeps the developer tools for a checkout and shuts them in a packaged build', () => {
    expect(prefs.devTools).toBe(true);
    expect(webPreferencesFor('/app/out/preload/index.cjs', true).devTools).toBe(false);
  });

  it('opens no other door to Node or remote content', () => {
    // A new preference that loosens the sandbox must be a deliberate change of this test.
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'devTools',
        'experimentalFeatures',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'safeDialogs',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });
});
