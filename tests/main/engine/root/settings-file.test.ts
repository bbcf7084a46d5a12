import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, writeSettings } from '../../../../src-main/engine/root/settings-file';
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
