import { describe, expect, it } from 'vitest';
import { isPermissionGranted } from '../../../src-main/electron/permission-policy';

// Electron's permission names (Session.setPermissionRequestHandler) and a few it may add.
const permissions = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'pointerLock',
  'keyboardLock',
  'openExternal',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'unknown',
  'fileSystem',
  'hid',
  'serial',
  'usb',
  'background-sync',
  '',
];

describe('isPermissionGranted', () => {
  it.each(permissions)('denies %j', (permission) => {
    expect(isPermissionGranted(permission)).toBe(false);
  });
});
