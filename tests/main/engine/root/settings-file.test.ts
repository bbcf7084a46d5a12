import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readSettings,
  updateSettings,
  writeSettings,
} from '../../../../src-main/engine/root/settings-file';
import { defaultSettings } from '../../../../src-shared/models/settings';
import { tempDir } from '../../../support/temp-dir';

describe('settings file', () => {
  it('gives the defaults when there is no file', async () => {
    const file = path.join(tempDir(), 'settings.json');
    expect(await readSettings(file)).toEqual(defaultSettings());
    expect(defaultSettings().backup.retention).toEqual({ daily: 7, weekly: 4, monthly: 12 });
  });

  it('fills defaults into a partial file', async () => {
    const file = path.join(tempDir(), 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ cleanup: { logRetentionDays: 14 } }));
    const settings = await readSettings(file);
    expect(settings.cleanup.logRetentionDays).toBe(14);
    expect(settings.cleanup.cacheCapBytes).toBe(1024 ** 3);
  });

  it('refuses a file that is not JSON with SETTINGS_UNREADABLE', async () => {
    const file = path.join(tempDir(), 'settings.json');
    fs.writeFileSync(file, '{ not json');
    await expect(readSettings(file)).rejects.toMatchObject({ code: 'SETTINGS_UNREADABLE' });
  });

  it('refuses a file that breaks the schema with the field named', async () => {
    const file = path.join(tempDir(), 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ backup: { retention: { daily: -3 } } }));
    await expect(readSettings(file)).rejects.toMatchObject({
      code: 'SETTINGS_INVALID',
      message: expect.stringContaining('backup.retention.daily'),
    });
  });

  it('writes valid settings atomically and refuses invalid ones', async () => {
    const file = path.join(tempDir(), 'settings.json');
    const settings = defaultSettings();
    settings.backup.schedules.critical = '30 2 * * *';
    await writeSettings(file, settings);
    expect((await readSettings(file)).backup.schedules.critical).toBe('30 2 * * *');
    await expect(
      writeSettings(file, {
        ...settings,
        backup: { ...settings.backup, schedules: { critical: 'often' } },
      }),
    ).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    expect((await readSettings(file)).backup.schedules.critical).toBe('30 2 * * *');
  });

  it('keeps a copy of an unreadable file before saving over it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, 'hand-edited, broken');
    await writeSettings(file, defaultSettings());
    const copies = fs
      .readdirSync(dir)
      .filter((name) => name.startsWith('settings.json.unreadable-'));
    expect(copies).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, copies[0]!), 'utf8')).toBe('hand-edited, broken');
  });
});

describe('schedule checks', () => {
  it('refuses a cron expression croner cannot run, naming its field', async () => {
    const file = path.join(tempDir(), 'settings.json');
    const settings = defaultSettings();
    settings.backup.schedules.critical = '0 25 * * *';
    await expect(writeSettings(file, settings)).rejects.toMatchObject({
      code: 'SETTINGS_INVALID',
      details: { issues: [{ path: 'backup.schedules.critical' }] },
    });
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('updateSettings', () => {
  function target() {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '.tend'));
    return { root, file: path.join(root, '.tend/settings.json') };
  }

  it('changes only the fields of the patch and raises the revision', async () => {
    const t = target();
    const first = await updateSettings(t, { cleanup: { logRetentionDays: 14 } });
    expect(first.revision).toBe(1);
    const second = await updateSettings(t, { revision: 1, backup: { retention: { daily: 3 } } });
    expect(second).toMatchObject({
      revision: 2,
      cleanup: { logRetentionDays: 14 },
      backup: { retention: { daily: 3, weekly: 4 } },
    });
    expect(await readSettings(t.file)).toEqual(second);
  });

  it('refuses a change made from an older revision, and keeps the file as it is', async () => {
    const t = target();
    await updateSettings(t, { backup: { retention: { daily: 10 } } });
    const before = fs.readFileSync(t.file, 'utf8');
    await expect(
      updateSettings(t, { revision: 0, cleanup: { logRetentionDays: 3 } }),
    ).rejects.toMatchObject({
      code: 'SETTINGS_CONFLICT',
      message: expect.stringContaining('changed elsewhere'),
      details: { revision: 1 },
    });
    expect(fs.readFileSync(t.file, 'utf8')).toBe(before);
  });

  it('lets one of two saves from the same revision through, never both', async () => {
    const t = target();
    const results = await Promise.allSettled([
      updateSettings(t, { revision: 0, cleanup: { logRetentionDays: 1 } }),
      updateSettings(t, { revision: 0, cleanup: { logRetentionDays: 2 } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await readSettings(t.file)).revision).toBe(1);
  });

  it('refuses values with SETTINGS_INVALID and one issue per field', async () => {
    const t = target();
    await expect(
      updateSettings(t, {
        backup: { retention: { daily: -1 }, schedules: { critical: '61 3 * * *' } },
      }),
    ).rejects.toMatchObject({
      code: 'SETTINGS_INVALID',
      details: {
        issues: [
          { path: 'backup.retention.daily', message: 'Type a number from 0 to 365' },
          { path: 'backup.schedules.critical', message: expect.stringContaining('0 to 59') },
        ],
      },
    });
    expect(fs.existsSync(t.file)).toBe(false);
  });

  it('says a refusal in sentences: each field once, the whole ended with one period', async () => {
    const t = target();
    await expect(updateSettings(t, { backup: { retention: { daily: -1 } } })).rejects.toMatchObject(
      {
        code: 'SETTINGS_INVALID',
        message: 'Settings not saved. backup.retention.daily: Type a number from 0 to 365.',
      },
    );
    await expect(
      updateSettings(t, { backup: { retention: { daily: -1 }, destination: ' /x' } }),
    ).rejects.toMatchObject({
      message:
        'Settings not saved. backup.retention.daily: Type a number from 0 to 365; backup.destination: Remove the spaces at the start or end of the folder path.',
    });
  });

  const destinationIssueOf = async (t: { root: string; file: string }, destination: string) => {
    const error = await updateSettings(t, { backup: { destination } }).then(
      () => null,
      (e: { code: string; details: { issues: Array<{ path: string; message: string }> } }) => e,
    );
    if (error === null) return null;
    expect(error.code).toBe('SETTINGS_INVALID');
    expect(error.details.issues[0]!.path).toBe('backup.destination');
    return error.details.issues[0]!.message;
  };

  it.each([
    ['relative/backups', 'Use a full path'],
    ['<root>', 'the data folder itself'],
    ['<root>/local_data/backups', 'inside the data folder'],
    ['<link>/backups', 'inside the data folder'],
    ['<outside>/missing/deeper', 'Neither'],
    ['<outside>/a-file', 'is a file, not a folder'],
    ['/sys/tend-backups', 'cannot write'],
  ])('refuses the backup folder %s (%s)', async (given, words) => {
    const t = target();
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'a-file'), 'x');
    fs.symlinkSync(t.root, path.join(outside, 'link'));
    const destination = given
      .replace('<root>', t.root)
      .replace('<outside>', outside)
      .replace('<link>', path.join(outside, 'link'));
    expect(await destinationIssueOf(t, destination)).toContain(words);
  });

  it('accepts a folder to be made in an existing folder, and makes nothing yet', async () => {
    const t = target();
    const destination = path.join(tempDir(), 'backups');
    expect(await destinationIssueOf(t, destination)).toBeNull();
    expect(fs.existsSync(destination)).toBe(false);
    expect(fs.readdirSync(path.dirname(destination))).toEqual([]);
  });

  it('does not check an unchanged backup folder again (an unplugged drive)', async () => {
    const t = target();
    const drive = path.join(tempDir(), 'usb');
    fs.mkdirSync(drive);
    await updateSettings(t, { backup: { destination: path.join(drive, 'tend') } });
    fs.rmSync(drive, { recursive: true });
    const saved = await updateSettings(t, { cleanup: { logRetentionDays: 5 } });
    expect(saved.backup.destination).toBe(path.join(drive, 'tend'));
  });

  it.runIf(process.getuid?.() === 0)(
    'refuses a bind mount of the data folder shown under another path',
    async () => {
      const t = target();
      const mountPoint = tempDir();
      execFileSync('mount', ['--bind', t.root, mountPoint]);
      try {
        expect(await destinationIssueOf(t, path.join(mountPoint, 'backups'))).toContain(
          'inside the data folder',
        );
        expect(await destinationIssueOf(t, mountPoint)).toContain('inside the data folder');
      } finally {
        execFileSync('umount', [mountPoint]);
      }
    },
  );
});
