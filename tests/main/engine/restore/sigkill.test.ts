import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import { nativePaths } from '../../../support/native-root';
import { leftoverStaging } from '../../../../src-main/engine/restore/restore-journal';
import { countRows, openAssistantDb } from '../../../../src-main/engine/store/assistant-db';
import { treeFingerprint } from './support/archive-builder';
import { demoFixture } from './support/demo-fixture';
import { stateOfRoot } from '../../../support/root-state';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'kill-child.ts');

/** Files (without Tend's state and the database) and the database's rows: the root's state. */
function state(root: string) {
  const db = openAssistantDb(path.join(root, nativePaths.assistantDb), { readonly: true });
  try {
    return {
      files: treeFingerprint(
        root,
        (relative) => relative === '.tend' || relative.startsWith(`${nativePaths.assistantDb}-`),
      ).replace(/^f local_data\/internal_assistant\/assistant\.db .*$/m, ''),
      rows: countRows(db),
    };
  } finally {
    db.close();
  }
}

/** Kills a restore at `point`, then opens the root as the next start would. */
async function killAt(point: string) {
  const f = await demoFixture();
  await f.engine.close();
  // Changes after the backup, so "as before" and "as restored" differ.
  fs.writeFileSync(path.join(f.root, 'config/settings.yaml'), 'changed: true\n');
  const docs = path.join(f.root, nativePaths.documents);
  const collection = fs.readdirSync(docs).sort()[0]!;
  fs.writeFileSync(path.join(docs, collection, 'added-after-backup.md'), '# new\n');
  // Enough changed files that the swap has many renames to be cut in the middle of.
  const changed = fs.readdirSync(path.join(docs, collection)).sort().slice(0, 40);
  for (const name of changed) fs.appendFileSync(path.join(docs, collection, name), 'edited\n');
  const db = openAssistantDb(path.join(f.root, nativePaths.assistantDb));
  db.prepare('DELETE FROM chat_messages WHERE id % 3 = 0').run();
  db.close();
  const before = state(f.root);

  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', child, path.join(f.base, 'state'), f.root, f.archive.archivePath, point],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  expect(run.signal, `${run.stdout}\n${run.stderr}`).toBe('SIGKILL');

  // The next start of the same Tend (its state where the killed one's was) puts it right.
  const engine = await Engine.start({ appStateDir: path.join(f.base, 'state'), root: f.root });
  await engine.close();
  const after = state(f.root);
  expect(leftoverStaging(f.root)).toEqual([]);
  expect(fs.existsSync(stateOfRoot(path.join(f.base, 'state'), f.root).restoreJournal)).toBe(false);
  expect(fs.existsSync(path.join(f.root, '.tend'))).toBe(false);
  return { f, before, after };
}

describe('a restore killed with SIGKILL leaves the root as before or as restored, never a mix', () => {
  for (const point of ['staged', 'swap:1', 'swap:30', 'swapped', 'validated']) {
    it(`killed at ${point}: rolled back at the next start, safety snapshot kept`, async () => {
      const { f, before, after } = await killAt(point);
      expect(after).toEqual(before);
      const snapshots = fs.readdirSync(f.backups);
      expect(snapshots.some((name) => name.endsWith('-pre-restore.tar.gz'))).toBe(true);
      expect(snapshots.some((name) => name.endsWith('-pre-restore.manifest.json'))).toBe(true);
    });
  }

  it('killed after the commit: finished at the next start, exactly as restored', async () => {
    const { f, before, after } = await killAt('committed');
    expect(after).not.toEqual(before);
    expect(after.files).not.toContain('added-after-backup.md');
    expect(fs.readFileSync(path.join(f.root, 'config/settings.yaml'), 'utf8')).not.toBe(
      'changed: true\n',
    );
    const last = JSON.parse(
      fs.readFileSync(stateOfRoot(path.join(f.base, 'state'), f.root).lastRestore, 'utf8'),
    );
    expect(last.report.outcome).toBe('restored');
  });
});
