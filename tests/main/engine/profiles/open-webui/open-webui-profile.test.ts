/**
 * The Open WebUI profile: detected on its demo and on nothing else, its rules, its stores
 * (orphan uploads and orphan Chroma segment folders reported with their sizes; webui.db and
 * vector_db captured together), a backup and an exact restore through the engine, and a
 * missing Chroma segment folder named with what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileInfoSchema } from '../../../../../src-shared/models/profiles';
import { categorizerFor } from '../../../../../src-main/engine/root/category-rules';
import { openWebuiProfile } from '../../../../../src-main/engine/profiles/open-webui/open-webui-profile';
import { planWebuiCapture } from '../../../../../src-main/engine/profiles/open-webui/open-webui-stores';
import { describeProfile, detectProfile } from '../../../../../src-main/engine/profiles/registry';
import { captureStore } from '../../../../../src-main/engine/stores/capture-store';
import { withReadOnlyDatabase } from '../../../../../src-main/engine/stores/sqlite/sqlite-open';
import { tempDir } from '../../../../support/temp-dir';
import { demoTemplate } from '../../restore/support/demo-fixture';
import {
  appDemo,
  appDemoPerTest,
  backUp,
  fingerprint,
  homeLikeFolder,
  restore,
  storeChecks,
  storeFindings,
  whileRunning,
} from '../app-profiles-support';

const openWebuiDemo = appDemoPerTest('open-webui');

describe('the Open WebUI profile', () => {
  it('is described for the UI and --json', () => {
    const info = ProfileInfoSchema.parse(describeProfile(openWebuiProfile));
    expect(info.stores.map((store) => [store.id, store.kind, store.category])).toEqual([
      ['webui-db', 'sqlite', 'irreplaceable'],
      ['uploads', 'files', 'irreplaceable'],
      ['vector-db', 'chroma', 'irreplaceable'],
    ]);
    expect(info.dataLocation).toMatchObject([{ kind: 'env', variable: 'DATA_DIR' }]);
    expect(info.hasDemo).toBe(true);
  });

  it('detects its demo, and never a home folder, an empty folder or a native folder', async () => {
    const { root } = await openWebuiDemo();
    const found = await detectProfile(root);
    expect(found.detected).toBe('open-webui');
    expect(found.matches[0]!.confidence).toBeGreaterThan(0.9);
    expect((await detectProfile(homeLikeFolder())).detected).toBeNull();
    expect((await detectProfile(tempDir())).detected).toBeNull();
    expect((await detectProfile(await demoTemplate())).detected).toBe('native');
  });

  it('a webui.db that is not a database is no marker', async () => {
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'webui.db'), 'just text');
    fs.mkdirSync(path.join(folder, 'uploads'));
    expect((await detectProfile(folder)).detected).toBeNull();
  });

  it.each([
    ['webui.db', 'irreplaceable'],
    ['webui.db-wal', 'irreplaceable'],
    ['uploads/0a_report.pdf', 'irreplaceable'],
    ['uploads/0a_server.log', 'irreplaceable'],
    ['vector_db/chroma.sqlite3', 'irreplaceable'],
    ['vector_db/3f2a/data_level0.bin', 'irreplaceable'],
    ['cache/embedding/models/models--x/blobs/abc', 'redownloadable'],
    ['cache/whisper/models/base/model.bin', 'redownloadable'],
    ['cache/audio/speech/ab.mp3', 'disposable'],
    ['cache/image/generations/a.png', 'disposable'],
    ['cache/tiktoken/9b5ad71b', 'disposable'],
    ['audit.log', 'disposable'],
    ['audit.2026-11-01_10-00-00_000000.log', 'disposable'],
    ['cache/functions/mine.py', 'irreplaceable'],
    ['docs/readme.md', 'irreplaceable'],
  ])('%s is %s', (relative, category) => {
    expect(categorizerFor(openWebuiProfile.categoryRules)(relative)).toBe(category);
  });

  it('reports orphan uploads and orphan Chroma segment folders with their sizes', async () => {
    const { root } = await openWebuiDemo();
    const uploads = await storeChecks(openWebuiProfile, root, 'uploads');
    const check = uploads.get('uploads')!;
    expect(check.ok).toBe(true);
    const orphans = check.findings.filter((finding) => finding.code === 'UPLOAD_ORPHAN');
    const named = orphans
      .map((finding) => [finding.path.replace(/^uploads\/[0-9a-f-]+_/, ''), finding.bytes])
      .sort();
    expect(named).toEqual([
      ['meeting-recording.m4a', 256 * 1024],
      ['screenshot.png', 48 * 1024],
    ]);
    expect(check.summary).toMatch(/2 uploads \(.+\) belong to no file in webui\.db/);

    const chroma = await storeFindings(openWebuiProfile, root, 'vector-db');
    expect(chroma).toHaveLength(1);
    const [segment] = chroma;
    expect(segment).toMatchObject({ code: 'CHROMA_SEGMENT_ORPHAN', severity: 'reclaimable' });
    const bytes = fs
      .readdirSync(path.join(root, 'vector_db', segment!.path))
      .reduce(
        (sum, name) => sum + fs.statSync(path.join(root, 'vector_db', segment!.path, name)).size,
        0,
      );
    expect(segment!.bytes).toBe(bytes);
    // The orphans are only reported: nothing was removed.
    expect(fs.existsSync(path.join(root, 'vector_db', segment!.path))).toBe(true);
  });

  it('names Open WebUI’s collections as Open WebUI does: file-<id> for each file row', async () => {
    const { root } = await openWebuiDemo();
    const files = withReadOnlyDatabase(path.join(root, 'webui.db'), (db) =>
      (db.prepare('SELECT id FROM file ORDER BY id').all() as Array<{ id: string }>).map(
        (r) => r.id,
      ),
    );
    const names = withReadOnlyDatabase(path.join(root, 'vector_db/chroma.sqlite3'), (db) =>
      (db.prepare('SELECT name FROM collections').all() as Array<{ name: string }>).map(
        (r) => r.name,
      ),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const id of files) expect(names).toContain(`file-${id}`);
  });

  it('captures webui.db and vector_db together, Chroma first, into a copy that validates', async () => {
    const { root } = await openWebuiDemo();
    const plan = await planWebuiCapture(root);
    expect(plan.needsAppStopped).toBe(true);
    const paths = plan.items.map((item) => item.path);
    expect(paths[0]).toBe('vector_db/chroma.sqlite3');
    expect(paths.at(-1)).toBe('webui.db');
    expect(
      plan.items.filter((item) => item.method === 'sqlite-snapshot').map((i) => i.path),
    ).toEqual(['vector_db/chroma.sqlite3', 'webui.db']);
    // The orphan segment folder is not worth a byte of the backup.
    const [orphan] = await storeFindings(openWebuiProfile, root, 'vector-db');
    expect(paths.some((p) => p.startsWith(`vector_db/${orphan!.path}/`))).toBe(false);
    // The store the profile names carries this plan; vector_db's own is empty (taken once).
    const [dbInstance] = await openWebuiProfile.stores[0]!.instances(root);
    expect((await dbInstance!.planCapture()).items.map((i) => i.path)).toEqual(paths);
    const [vectorInstance] = await openWebuiProfile.stores[2]!.instances(root);
    expect((await vectorInstance!.planCapture()).items).toEqual([]);

    const copy = tempDir();
    await captureStore(plan, copy);
    const checks = await storeChecks(openWebuiProfile, copy, 'vector-db');
    expect([...checks.values()].every((check) => check.ok)).toBe(true);
    expect((await storeChecks(openWebuiProfile, copy, 'webui-db')).get('webui.db')!.ok).toBe(true);
  });

  it('the same seed writes the same data', async () => {
    const first = await appDemo('open-webui', 7);
    const second = await appDemo('open-webui', 7);
    try {
      const content = (root: string) =>
        fingerprint(root).map((line) => line.replace(/ mtime=\S+/, ''));
      expect(content(first.root)).toEqual(content(second.root));
    } finally {
      await first.engine.close();
      await second.engine.close();
    }
  });

  it('backs up, names a missing segment folder with what to do, and restores it exactly', async () => {
    const { root, engine } = await openWebuiDemo();
    const before = fingerprint(root);
    const backup = await backUp(engine, 'full');

    const chroma = withReadOnlyDatabase(
      path.join(root, 'vector_db/chroma.sqlite3'),
      (db) =>
        db
          .prepare(
            "SELECT s.id AS id, c.name AS name FROM segments s JOIN collections c ON c.id = s.collection WHERE s.scope = 'VECTOR' ORDER BY c.name LIMIT 1",
          )
          .get() as { id: string; name: string },
    );
    fs.rmSync(path.join(root, 'vector_db', chroma.id), { recursive: true });
    const broken = (await storeChecks(openWebuiProfile, root, 'vector-db')).get('vector_db')!;
    expect(broken.ok).toBe(false);
    const missing = broken.findings.find((f) => f.code === 'CHROMA_SEGMENT_MISSING');
    expect(missing).toMatchObject({ path: chroma.id, severity: 'problem' });
    expect(missing!.message).toContain(chroma.name);
    expect(missing!.action).toMatch(/Restore .* from one backup/);

    const report = await restore(engine, backup.id);
    expect(
      report.checks.every((check) => check.ok),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(report.checks.map((check) => check.name)).toContain('vector_db (Chroma)');
    expect(fingerprint(root)).toEqual(before);

    // Open WebUI running (its process seen by name) blocks the restore, saying so.
    const plan = await whileRunning('open-webui', () =>
      engine.call('restore:plan', { backup: backup.id, scope: { kind: 'everything' } }),
    );
    expect(plan.refusals).toContainEqual({
      code: 'RESTORE_ASSISTANT_RUNNING',
      message: 'Open WebUI is running (its process open-webui is). Stop Open WebUI, then restore.',
    });
  });
});
