/**
 * The profiles' channels the pages use: `profiles:survey` (what a folder holds, read as a
 * profile, before it is adopted; reads only) and `profiles:check` (every store of the open
 * folder checked, each damaged one offered back from the newest backup that holds it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import { jobResultAs } from '../../../../src-shared/models/job-results';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import { StoreChecksSchema, type StoreChecks } from '../../../../src-shared/models/profiles';
import { entityRagProfile } from '../../../../src-main/engine/profiles/entity-rag/entity-rag-profile';
import { nativeProfile } from '../../../../src-main/engine/profiles/native/native-profile';
import { holdsPath, restoreTargetOf } from '../../../../src-main/engine/profiles/store-checks';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { appDemoPerTest, backUp } from './app-profiles-support';

/** Runs a store check (profiles:check starts a job) to its end and reads its findings. */
async function checkNow(engine: Engine): Promise<StoreChecks> {
  const job = await engine.call('profiles:check');
  const done = await engine.requireSession().jobs.wait(job.id);
  expect(done.error, JSON.stringify(done.error)).toBeNull();
  return jobResultAs(done, StoreChecksSchema);
}

describe('holdsPath', () => {
  it.each([
    ['data/api_storage/entities.json', 'data/api_storage/entities.json', true],
    ['data/api_storage/entities.json.bak', 'data/api_storage/entities.json', false],
    ['vector_db/abc/data_level0.bin', 'vector_db', true],
    ['vector_dbx/a', 'vector_db', false],
    ['uploads', 'uploads/a', false],
  ])('%s under %s: %s', (entry, instance, expected) => {
    expect(holdsPath(entry, instance)).toBe(expected);
  });
});

describe('restoreTargetOf', () => {
  it.each([
    [
      'an entity’s FAISS index: the entity',
      entityRagProfile,
      'data/entity_scoped/entities/acme/vector_store',
      { scope: { scope: 'entity', id: 'acme' } },
    ],
    [
      'a JSON store of no entity: its path',
      entityRagProfile,
      'data/api_storage/entities.json',
      { scope: null, paths: ['data/api_storage/entities.json'] },
    ],
    [
      'the native database: its path',
      nativeProfile,
      'local_data/internal_assistant/assistant.db',
      { scope: null, paths: ['local_data/internal_assistant/assistant.db'] },
    ],
  ])('%s', (_name, profile, instance, expected) => {
    expect(restoreTargetOf(profile, instance)).toMatchObject(expected);
  });
});

describe('profiles:survey', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });
  const demo = appDemoPerTest('entity-rag');

  it('reads a detected folder as its profile: stores with sizes, scopes with counts, nothing written', async () => {
    const { root, base } = await demo();
    const engine = await Engine.start({ appStateDir: path.join(base, 'other-state'), root: null });
    engines.push(engine);
    const listing = () => (fs.readdirSync(root, { recursive: true }) as string[]).sort();
    const before = listing();
    const survey = await engine.call('profiles:survey', { path: root });
    expect(survey).toMatchObject({
      profile: 'entity-rag',
      detected: 'entity-rag',
      name: entityRagProfile.name,
      reason: null,
    });
    expect(survey.confidence).toBeGreaterThanOrEqual(0.5);
    const index = survey.stores.find((store) => store.id === 'entity-index')!;
    expect(index.instances).toBeGreaterThan(0);
    expect(index.bytes).toBeGreaterThan(0);
    const entities = await entityRagProfile.scopes[0]!.list(root);
    expect(survey.scopes).toEqual([
      expect.objectContaining({
        id: 'entity',
        plural: 'entities',
        count: entities.length,
        names: entities.slice(0, 5).map((item) => item.name),
      }),
    ]);
    expect(listing()).toEqual(before);
  });

  it('reads a folder as the profile the person chose, and says why none was detected', async () => {
    const engine = await Engine.start({ appStateDir: tempDir('tend-state-'), root: null });
    engines.push(engine);
    const photos = tempDir('tend-photos-');
    writeFile(path.join(photos, 'IMG_0001.jpg'), 'jpg');
    const nothing = await engine.call('profiles:survey', { path: photos });
    expect(nothing).toMatchObject({ profile: null, detected: null, stores: [], scopes: [] });
    expect(nothing.reason).toMatch(/Nothing of any profile/);
    const chosen = await engine.call('profiles:survey', { path: photos, profile: 'open-webui' });
    expect(chosen).toMatchObject({ profile: 'open-webui', detected: null, confidence: 0 });
    expect(chosen.stores.map((store) => [store.id, store.instances])).toEqual([
      ['webui-db', 0],
      ['uploads', 0],
      ['vector-db', 0],
    ]);
  });

  it('refuses a folder that can never be a root, and a profile Tend does not know', async () => {
    const engine = await Engine.start({ appStateDir: tempDir('tend-state-'), root: null });
    engines.push(engine);
    await expect(engine.dispatch('profiles:survey', { path: '/' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'ROOT_NOT_ALLOWED' },
    });
    const folder = tempDir('tend-any-');
    await expect(
      engine.dispatch('profiles:survey', { path: folder, profile: 'no-such-app' }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'PROFILE_UNKNOWN' } });
  });
});

describe('profiles:check', () => {
  const entityDemo = appDemoPerTest('entity-rag');
  const webuiDemo = appDemoPerTest('open-webui');

  it('runs as a store-check job: progress counts the instances, the result is kept for profiles:last-check', async () => {
    const { engine } = await entityDemo();
    expect(await engine.call('profiles:last-check')).toEqual({ job: null, checks: null });
    const seen: JobRecord[] = [];
    engine.events.on('job:progress', (job) => {
      if (job.kind === 'store-check') seen.push(job);
    });
    const started = await engine.call('profiles:check');
    expect(started).toMatchObject({ kind: 'store-check', writesRoot: false });
    // A second ask while it runs is the same job, not a second read of every file.
    expect((await engine.call('profiles:check')).id).toBe(started.id);
    const done = await engine.requireSession().jobs.wait(started.id);
    expect(done.state).toBe('succeeded');
    const checks = jobResultAs(done, StoreChecksSchema);
    const total = checks.instances.length;
    expect(total).toBeGreaterThan(1);
    expect(done.progress).toMatchObject({ filesDone: total, filesTotal: total });
    // The stores' sizes are measured first; the bar ends at all of them.
    expect(done.progress.bytesTotal).toBeGreaterThan(0);
    expect(done.progress.bytesDone).toBe(done.progress.bytesTotal);
    const counted = seen.filter((job) => job.progress.filesTotal === total);
    expect(counted.some((job) => job.progress.currentPath !== null)).toBe(true);
    expect(counted.some((job) => job.progress.message?.startsWith('Checking '))).toBe(true);
    const dones = counted.map((job) => job.progress.filesDone);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));

    const last = await engine.call('profiles:last-check');
    expect(last.job?.id).toBe(started.id);
    expect(last.checks).toEqual(checks);
  });

  it('stops when cancelled: the job ends cancelled and the last finished check stays readable', async () => {
    const { engine } = await entityDemo();
    const first = await checkNow(engine);
    const session = engine.requireSession();
    let cancelled = false;
    engine.events.on('job:progress', (job) => {
      if (job.kind !== 'store-check' || cancelled || job.state !== 'running') return;
      if (job.progress.filesTotal === null) return;
      cancelled = true;
      session.jobs.cancel(job.id);
    });
    const started = await engine.call('profiles:check');
    const done = await session.jobs.wait(started.id);
    expect(cancelled).toBe(true);
    expect(done.state).toBe('cancelled');
    expect(done.progress.filesDone).toBeLessThan(first.instances.length);
    const last = await engine.call('profiles:last-check');
    expect(last.job?.id).toBe(started.id);
    expect(last.checks).toEqual(first);
  });

  it('names Open WebUI’s orphan uploads and orphan Chroma segment folders with their sizes', async () => {
    const { engine } = await webuiDemo();
    const checks = await checkNow(engine);
    expect(checks.profile).toBe('open-webui');
    const uploads = checks.instances.find((instance) => instance.storeId === 'uploads')!;
    const orphans = uploads.findings.filter((finding) => finding.code === 'UPLOAD_ORPHAN');
    expect(orphans.length).toBeGreaterThan(0);
    for (const orphan of orphans) expect(orphan.bytes).toBeGreaterThan(0);
    const chroma = checks.instances.find((instance) => instance.storeId === 'vector-db')!;
    expect(chroma.findings).toContainEqual(
      expect.objectContaining({ code: 'CHROMA_SEGMENT_ORPHAN', bytes: expect.any(Number) }),
    );
    // Orphans are space to reclaim, not damage: nothing to restore.
    expect(uploads.ok).toBe(true);
    expect(uploads.restore).toBeNull();
  });

  it('offers a truncated JSON store and a FAISS file cut short back from the backup that holds them', async () => {
    const { engine, root } = await entityDemo();
    const sound = await checkNow(engine);
    expect(sound.instances.every((instance) => instance.ok)).toBe(true);

    const backup = await backUp(engine);
    const entitiesFile = path.join(root, 'data/api_storage/entities.json');
    fs.truncateSync(entitiesFile, Math.floor(fs.statSync(entitiesFile).size / 2));
    const [entity] = (await entityRagProfile.scopes[0]!.list(root)).filter((item) =>
      fs.existsSync(path.join(root, 'data/entity_scoped/entities', item.id, 'vector_store')),
    );
    const faissFile = path.join(
      root,
      'data/entity_scoped/entities',
      entity!.id,
      'vector_store/index.faiss',
    );
    fs.truncateSync(faissFile, 64);

    const checks = await checkNow(engine);
    const json = checks.instances.find(
      (instance) => instance.path === 'data/api_storage/entities.json',
    )!;
    expect(json.ok).toBe(false);
    expect(json.findings).toContainEqual(
      expect.objectContaining({ code: 'JSON_TRUNCATED', severity: 'problem' }),
    );
    expect(json.restore).toMatchObject({
      backupId: backup.id,
      scope: null,
      paths: ['data/api_storage/entities.json'],
    });
    const faiss = checks.instances.find(
      (instance) =>
        instance.storeId === 'entity-index' && instance.path.includes(`/${entity!.id}/`),
    )!;
    expect(faiss.ok).toBe(false);
    expect(faiss.findings.map((finding) => finding.code)).toContain('FAISS_TRUNCATED');
    expect(faiss.restore).toMatchObject({
      backupId: backup.id,
      scope: { scope: 'entity', id: entity!.id },
    });
  });

  it('offers nothing back when no backup holds the damaged store', async () => {
    const { engine, root } = await entityDemo();
    const entitiesFile = path.join(root, 'data/api_storage/entities.json');
    fs.truncateSync(entitiesFile, 10);
    const checks = await checkNow(engine);
    const json = checks.instances.find(
      (instance) => instance.path === 'data/api_storage/entities.json',
    )!;
    expect(json.ok).toBe(false);
    expect(json.restore).toBeNull();
  });
});
