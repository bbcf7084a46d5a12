/**
 * A small live root for restore tests, a canary folder beside it that nothing may touch, and a
 * backup destination, behind a real engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '../../../../../src-shared/models/jobs';
import { TendFailure } from '../../../../../src-shared/errors';
import { Engine } from '../../../../../src-main/engine/engine';
import { tempDir, writeFile } from '../../../../support/temp-dir';
import { treeFingerprint } from './archive-builder';
import { leftoverStaging } from '../../../../../src-main/engine/restore/restore-journal';
import { stateOfRoot } from '../../../../support/root-state';

/** The files every fixture root starts with. */
export const liveFiles: Readonly<Record<string, string>> = {
  'config/settings.json': '{"live":true}\n',
  'local_data/internal_assistant/documents/c1/a.md': '# live A\n',
  'local_data/internal_assistant/documents/c1/b.md': '# live B\n',
  'local_data/models/custom/notes.txt': 'custom model notes\n',
};

/** A root, a canary, a destination and the engine over them. */
export interface RestoreFixture {
  base: string;
  root: string;
  canary: string;
  backups: string;
  engine: Engine;
  /** Fingerprint of the root (without .tend) and of the canary. */
  snapshot(): { root: string; canary: string };
  /** Applies a restore; the error code it ends with, or null when it succeeded. */
  attempt(backup: string, scope?: Record<string, unknown>): Promise<string | null>;
  /** Whether staging and the journal are gone. */
  clean(): boolean;
}

/** Waits for a job of the engine. */
export async function waitJob(engine: Engine, job: JobRecord): Promise<JobRecord> {
  return engine.requireSession().jobs.wait(job.id);
}

/** Builds a fixture. */
export async function restoreFixture(
  files: Readonly<Record<string, string>> = liveFiles,
): Promise<RestoreFixture> {
  const base = tempDir('tend-restore-');
  const root = path.join(base, 'root');
  const canary = path.join(base, 'canary');
  const backups = path.join(base, 'backups');
  writeFile(path.join(canary, 'secret.txt'), 'do not touch\n');
  fs.mkdirSync(backups);
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:create', { path: root });
  for (const [relative, content] of Object.entries(files))
    writeFile(path.join(root, relative), content);
  const settings = await engine.call('settings:get');
  await engine.call('settings:set', {
    settings: { ...settings, backup: { ...settings.backup, destination: backups } },
  });
  return {
    base,
    root,
    canary,
    backups,
    engine,
    snapshot: () => ({ root: treeFingerprint(root), canary: treeFingerprint(canary, () => false) }),
    async attempt(backup, scope = { kind: 'everything' }) {
      try {
        const job = await engine.call('restore:apply', { backup, scope });
        const finished = await waitJob(engine, job);
        return finished.error?.code ?? null;
      } catch (error) {
        if (error instanceof TendFailure) return error.code;
        throw error;
      }
    },
    clean: () =>
      !fs.existsSync(stateOfRoot(path.join(base, 'state'), root).restoreJournal) &&
      leftoverStaging(root).length === 0,
  };
}
