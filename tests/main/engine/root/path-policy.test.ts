import { describe, expect, it } from 'vitest';
import {
  isSameOrInside,
  rootRefusal,
  typedPathRefusal,
  type PathEnvironment,
  type PathUse,
} from '../../../../src-main/engine/root/path-policy';

const linux: PathEnvironment = {
  platform: 'linux',
  home: '/home/ada',
  stateDir: '/home/ada/.config/Tend',
  tempDir: '/tmp',
};
const mac: PathEnvironment = {
  platform: 'darwin',
  home: '/Users/ada',
  stateDir: '/Users/ada/Library/Application Support/Tend',
  tempDir: '/private/var/folders/xy/abc/T',
};
const windows: PathEnvironment = {
  platform: 'win32',
  home: 'C:\\Users\\ada',
  stateDir: 'C:\\Users\\ada\\AppData\\Roaming\\Tend',
  tempDir: 'C:\\Users\\ada\\AppData\\Local\\Temp',
};
const environments = { linux, mac, windows };

describe('rootRefusal', () => {
  it.each<[keyof typeof environments, string, RegExp]>([
    ['linux', '/', /top of a disk/],
    ['linux', '/home/ada', /your home folder/],
    ['linux', '/home/ada/', /your home folder/],
    ['linux', '/home', /holds your home folder/],
    ['linux', '/home/bob', /system or shared folder/],
    ['linux', '/usr', /system folder \(\/usr\)/],
    ['linux', '/usr/share/assistant', /system folder \(\/usr\)/],
    ['linux', '/etc', /system folder/],
    ['linux', '/var', /system folder/],
    ['linux', '/var/lib/assistant', /system folder \(\/var\)/],
    ['linux', '/bin', /system folder/],
    ['linux', '/sbin', /system folder/],
    ['linux', '/lib64', /system folder/],
    ['linux', '/boot', /system folder/],
    ['linux', '/dev', /system folder/],
    ['linux', '/proc/1', /system folder/],
    ['linux', '/sys', /system folder/],
    ['linux', '/run/media', /system folder/],
    ['linux', '/run/media/ada/USB', /system or shared folder/],
    ['linux', '/media/ada/USB', /system or shared folder/],
    ['linux', '/mnt/c', /system or shared folder/],
    ['linux', '/opt', /system or shared folder/],
    ['linux', '/tmp', /system or shared folder/],
    ['linux', '/home/ada/.config/Tend', /inside Tend's own state/],
    ['linux', '/home/ada/.config/Tend/roots/x', /inside Tend's own state/],
    ['linux', '/home/ada/.config', /holds Tend's own state/],
    ['linux', '/home/ada/.ssh', /keys or credentials/],
    ['linux', '/home/ada/.ssh/data', /keys or credentials/],
    ['linux', '/home/ada/.cache', /hidden settings folder/],
    ['linux', '/home/ada/Documents', /your Documents folder/],
    ['linux', '/home/ada/Downloads', /your Downloads folder/],
    ['linux', 'relative/dir', /absolute path/],
    ['mac', '/', /top of a disk/],
    ['mac', '/Users/ada', /your home folder/],
    ['mac', '/users/ADA', /your home folder/],
    ['mac', '/Users', /holds your home folder/],
    ['mac', '/System', /system folder/],
    ['mac', '/System/Library/x', /system folder/],
    ['mac', '/Applications', /system folder/],
    ['mac', '/Library', /system folder/],
    ['mac', '/private/var/db', /system folder/],
    ['mac', '/Volumes/USB', /system or shared folder/],
    ['mac', '/Users/ada/Library', /holds Tend's own state/],
    ['mac', '/Users/ada/Movies', /your Movies folder/],
    ['mac', '/Users/ada/Library/Application Support/Tend', /inside Tend's own state/],
    ['mac', '/private/var/folders/xy/abc/T', /system or shared folder/],
    ['windows', 'C:\\', /top of a disk/],
    ['windows', 'D:\\', /top of a disk/],
    ['windows', '\\\\nas\\share\\', /top of a disk/],
    ['windows', 'C:\\Windows', /system folder/],
    ['windows', 'c:\\windows\\system32', /system folder/],
    ['windows', 'C:\\Program Files', /system folder/],
    ['windows', 'C:\\Program Files (x86)\\App', /system folder/],
    ['windows', 'C:\\ProgramData', /system folder/],
    ['windows', 'C:\\Users', /holds your home folder/],
    ['windows', 'C:\\Users\\ada', /your home folder/],
    ['windows', 'C:\\Users\\bob', /system or shared folder/],
    ['windows', 'C:\\Users\\ada\\AppData\\Roaming\\Tend', /inside Tend's own state/],
    ['windows', 'C:\\Users\\ada\\Documents', /your Documents folder/],
    ['windows', '\\\\?\\C:\\data', /absolute path/],
    ['windows', 'data', /absolute path/],
  ])('%s: %s is refused', (name, folder, reason) => {
    expect(rootRefusal(folder, environments[name])).toMatch(reason);
  });

  it.each<[keyof typeof environments, string]>([
    ['linux', '/home/ada/assistant'],
    ['linux', '/home/ada/Documents/assistant'],
    ['linux', '/home/ada/.local/share/assistant'],
    ['linux', '/srv/assistant'],
    ['linux', '/opt/assistant/data'],
    ['linux', '/media/ada/USB/assistant'],
    ['linux', '/run/media/ada/USB/assistant'],
    ['linux', '/tmp/tend-test-x/root'],
    ['linux', '/var/tmp/assistant'],
    ['linux', '/data/assistant'],
    ['mac', '/Users/ada/assistant'],
    ['mac', '/Users/ada/Library/Application Support/Jan'],
    ['mac', '/Volumes/USB/assistant'],
    ['mac', '/private/var/folders/xy/abc/T/tend-test/root'],
    ['windows', 'C:\\Users\\ada\\assistant'],
    ['windows', 'D:\\assistant'],
    ['windows', '\\\\nas\\share\\assistant'],
  ])('%s: %s may be a root', (name, folder) => {
    expect(rootRefusal(folder, environments[name])).toBeNull();
  });

  it('refuses a backup destination, a folder inside one, and a folder that holds one', () => {
    const destinations = ['/media/ada/USB/tend-backups'];
    expect(rootRefusal('/media/ada/USB/tend-backups', linux, destinations)).toMatch(
      /is a backup destination/,
    );
    expect(rootRefusal('/media/ada/USB/tend-backups/x', linux, destinations)).toMatch(
      /is a backup destination/,
    );
    expect(rootRefusal('/home/ada/data', linux, ['/home/ada/data/backups'])).toMatch(
      /holds the backup destination/,
    );
    expect(rootRefusal('/home/ada/assistant', linux, destinations)).toBeNull();
  });
});

describe('typedPathRefusal', () => {
  it.each<[keyof typeof environments, string, PathUse, RegExp]>([
    ['linux', 'out.jsonl', 'write', /absolute path/],
    ['linux', './out.jsonl', 'read', /absolute path/],
    ['linux', '/home/ada/.bashrc', 'write', /\.bashrc of your home/],
    ['linux', '/home/ada/.ssh/id_ed25519', 'read', /\.ssh of your home/],
    ['linux', '/home/ada/.config/autostart/x.desktop', 'write', /\.config of your home/],
    ['linux', '/home/ada/.config/Tend/tend-state.json', 'read', /Tend's own state/],
    ['linux', '/etc/passwd', 'read', /system folder \(\/etc\)/],
    ['linux', '/etc/cron.d/job', 'write', /system folder/],
    ['linux', '/proc/self/environ', 'read', /system folder/],
    ['linux', '/usr/local/bin/x', 'write', /system folder/],
    ['linux', '/out.csv', 'write', /top of a disk/],
    ['linux', '/', 'write', /top of a disk/],
    ['linux', '/data/root/.tend/catalog.db', 'read', /\.tend/],
    [
      'linux',
      '/data/root/local_data/internal_assistant/assistant.db',
      'export',
      /inside the data folder/,
    ],
    ['linux', '/data/root', 'export', /inside the data folder/],
    ['linux', '/home/ada/.profile', 'export', /Tend does not write there/],
    ['mac', '/Users/ada/.zshrc', 'write', /\.zshrc/],
    ['mac', '/Library/LaunchDaemons/x.plist', 'write', /system folder/],
    ['windows', 'C:\\Windows\\System32\\x.dll', 'write', /system folder/],
    ['windows', 'C:\\Users\\ada\\.ssh\\config', 'read', /\.ssh/],
    ['windows', 'C:\\Users\\ada\\AppData\\Roaming\\Tend\\x', 'write', /Tend's own state/],
    ['windows', '\\\\.\\PhysicalDrive0', 'read', /absolute path/],
  ])('%s: %s (%s) is refused', (name, candidate, use, reason) => {
    expect(typedPathRefusal(candidate, use, environments[name], '/data/root')).toMatch(reason);
  });

  it.each<[keyof typeof environments, string, PathUse]>([
    ['linux', '/home/ada/exports/chats.jsonl', 'write'],
    ['linux', '/home/ada/Downloads/chunks.jsonl', 'read'],
    ['linux', '/tmp/x/out.csv', 'write'],
    ['linux', '/media/ada/USB/tend/tend-20260101-000000-full.tar.gz', 'read'],
    ['linux', '/data/root/local_data/x', 'read'],
    ['linux', '/data/root/local_data/x', 'write'],
    ['linux', '/data/rooted/export.csv', 'export'],
    ['mac', '/private/var/folders/xy/abc/T/tend/out.csv', 'write'],
    ['windows', 'D:\\exports\\out.csv', 'write'],
  ])('%s: %s (%s) is allowed', (name, candidate, use) => {
    expect(typedPathRefusal(candidate, use, environments[name], '/data/root')).toBeNull();
  });
});

describe('isSameOrInside', () => {
  it.each<[NodeJS.Platform, string, string, boolean]>([
    ['linux', '/a', '/a', true],
    ['linux', '/a', '/a/b', true],
    ['linux', '/a', '/ab', false],
    ['linux', '/A', '/a', false],
    ['darwin', '/A', '/a/b', true],
    ['win32', 'C:\\Data', 'c:\\data\\x', true],
    ['win32', 'C:\\Data', 'D:\\data', false],
  ])('%s: %s holds %s → %s', (platform, parent, child, expected) => {
    expect(isSameOrInside(platform, parent, child)).toBe(expected);
  });
});
