/**
 * A running app blocks a restore: its lock or pid files (the profile's globs), or its process
 * seen by name (the profile's process names).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeProfile } from '../../../../src-main/engine/profiles/native/native-profile';
import type { Profile } from '../../../../src-main/engine/profiles/profile';
import { profiledRoot } from '../../../../src-main/engine/profiles/profiled-root';
import { runningProcesses } from '../../../../src-main/engine/profiles/running-app';
import { locateArchive } from '../../../../src-main/engine/restore/backup-locator';
import { planRestore } from '../../../../src-main/engine/restore/restore-plan';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { buildArchive } from '../restore/support/archive-builder';

describe('runningProcesses', () => {
  const list = () => ['systemd', 'Ollama.exe', 'open-webui', 'node'];
  it.each([
    [[], []],
    [['ollama'], ['ollama']],
    [['OPEN-WEBUI', 'anythingllm'], ['OPEN-WEBUI']],
    [['jan'], []],
  ])('of %j, %j run', (wanted, running) => {
    expect(runningProcesses(wanted, list)).toEqual(running);
  });

  it('does not even ask the system when there is nothing to look for', () => {
    expect(
      runningProcesses([], () => {
        throw new Error('asked');
      }),
    ).toEqual([]);
  });
});

describe('a restore while the app runs', () => {
  async function plan(profile: Profile) {
    const base = tempDir();
    const root = path.join(base, 'root');
    writeFile(path.join(root, 'config/settings.yaml'), 'now: 1\n');
    const built = buildArchive(path.join(base, 'backups'), {
      files: [{ path: 'config/settings.yaml', content: 'then: 0\n' }],
      assistantSchemaVersion: null,
    });
    const backup = await locateArchive(built.archivePath);
    return (await planRestore(profiledRoot(root, profile), backup, { kind: 'everything' })).plan;
  }

  it('is refused when the profile’s process is seen by name, and says which', async () => {
    // This very process is one the system lists.
    const self = fs.existsSync('/proc/self/comm')
      ? fs.readFileSync('/proc/self/comm', 'utf8').trim()
      : 'node';
    const running: Profile = {
      ...nativeProfile,
      appName: 'Testapp',
      runningApp: { lockFiles: [], processNames: [self] },
    };
    const refused = await plan(running);
    expect(refused.refusals).toEqual([
      {
        code: 'RESTORE_ASSISTANT_RUNNING',
        message: `Testapp is running (its process ${self} is). Stop Testapp, then restore.`,
      },
    ]);
    const stopped: Profile = {
      ...running,
      runningApp: { lockFiles: [], processNames: ['no-such-process-tend'] },
    };
    expect((await plan(stopped)).refusals).toEqual([]);
  });
});
