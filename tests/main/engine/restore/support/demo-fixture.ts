/**
 * A small demo root generated once per test file and copied for each test, with a full backup
 * of it built by the archive helper, behind a real engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemo } from '../../../../../src-main/engine/demo/demo-generator';
import { Engine } from '../../../../../src-main/engine/engine';
import { nativePaths } from '../../../../support/native-root';
import { tempDir } from '../../../../support/temp-dir';
import { buildArchive, collectionsOf, filesOfRoot, type BuiltArchive } from './archive-builder';

let template: Promise<string> | null = null;

/** The small demo, generated once per process into a folder removed at exit. */
export function demoTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-restore-demo-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    await generateDemo({
      root: dir,
      size: 'small',
      seed: 7,
      signal: new AbortController().signal,
      onProgress() {},
    });
    return dir;
  })();
  return template;
}

/** A demo root, its full backup, a destination and an engine on it. */
export interface DemoFixture {
  base: string;
  root: string;
  backups: string;
  archive: BuiltArchive;
  engine: Engine;
}

/** Copies the template, backs it up, opens an engine on it with the destination set. */
export async function demoFixture(): Promise<DemoFixture> {
  const base = tempDir('tend-restore-demo-');
  const root = path.join(base, 'root');
  fs.cpSync(await demoTemplate(), root, { recursive: true, preserveTimestamps: true });
  const backups = path.join(base, 'backups');
  const archive = buildArchive(backups, {
    files: await filesOfRoot(root),
    kind: 'full',
    collections: collectionsOf(path.join(root, nativePaths.assistantDb)),
    assistantSchemaVersion: 1,
  });
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root });
  const settings = await engine.call('settings:get');
  await engine.call('settings:set', {
    settings: { ...settings, backup: { ...settings.backup, destination: backups } },
  });
  return { base, root, backups, archive, engine };
}
