import { describe, expect, it } from 'vitest';
import { trayMenuTemplate, type TrayState } from '../../../src-main/electron/tray-menu';

const idle: TrayState = { rootPath: '/home/ada/assistant', runningJob: null, lastError: null };

describe('the tray offers "Restore latest backup…"', () => {
  it('runs restore-latest when a data folder is open and nothing runs', () => {
    expect(trayMenuTemplate(idle)).toContainEqual({
      type: 'normal',
      label: 'Restore latest backup…',
      enabled: true,
      command: 'restore-latest',
    });
  });

  it('is greyed out without a data folder or while a job runs', () => {
    const disabled = { type: 'normal', label: 'Restore latest backup…', enabled: false };
    expect(trayMenuTemplate({ ...idle, rootPath: null })).toContainEqual(disabled);
    expect(
      trayMenuTemplate({
        ...idle,
        runningJob: { id: 'j', kind: 'backup', title: 'Back up (full)', percent: 10 },
      }),
    ).toContainEqual(disabled);
  });
});
