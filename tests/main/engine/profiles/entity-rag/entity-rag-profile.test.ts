/**
 * The entity-scoped RAG profile (seed 002): detected on its demo and on nothing else, its
 * stores sound on the demo and each fault named with what to do, uploads and entities that do
 * not match listed, and the folder backed up and restored exactly, whole and one entity.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileInfoSchema } from '../../../../../src-shared/models/profiles';
import {
  DEMO_EMPTY_ENTITY,
  DEMO_ORPHAN_UPLOADS,
} from '../../../../../src-main/engine/profiles/entity-rag/entity-rag-demo';
import { entityOf } from '../../../../../src-main/engine/profiles/entity-rag/entity-rag-paths';
import { entityRagProfile } from '../../../../../src-main/engine/profiles/entity-rag/entity-rag-profile';
import { entityUploadMismatches } from '../../../../../src-main/engine/profiles/entity-rag/entity-uploads';
import { Engine } from '../../../../../src-main/engine/engine';
import { describeProfile, detectProfile } from '../../../../../src-main/engine/profiles/registry';
import { categorizerFor } from '../../../../../src-main/engine/root/category-rules';
import { tempDir, writeFile } from '../../../../support/temp-dir';
import { profileDemoFixture, reportOf } from '../support/seed-profile-engine';
import { faissUnavailable, readPickle, readWithFaiss } from '../../stores/faiss-python';

const store = (id: string) => entityRagProfile.stores.find((candidate) => candidate.id === id)!;

async function instance(root: string, storeId: string, relative?: string) {
  const all = await store(storeId).instances(root);
  const found = relative ? all.find((candidate) => candidate.path === relative) : all[0];
  if (!found) throw new Error(`no instance of ${storeId} at ${relative ?? '(any)'}`);
  return found;
}

describe('the entity-rag profile', () => {
  it('is described with its stores, its entity scope, and the FAISS index as irreplaceable', () => {
    const info = ProfileInfoSchema.parse(describeProfile(entityRagProfile));
    expect(info.stores.map((s) => [s.id, s.kind, s.category, s.origin.kind])).toEqual([
      ['entities', 'json-store', 'irreplaceable', 'source'],
      ['chat-sessions', 'json-store', 'irreplaceable', 'source'],
      ['uploads', 'files', 'irreplaceable', 'source'],
      ['chunk-records', 'json-store', 'irreplaceable', 'source'],
      ['entity-index', 'faiss', 'irreplaceable', 'source'],
    ]);
    expect(info.scopes.map((scope) => scope.plural)).toEqual(['entities']);
    expect(info.hasDemo).toBe(true);
  });

  it.each([
    ['data/entity_scoped/entities/acme/vector_store/index.faiss', 'irreplaceable'],
    ['data/api_storage/entities.json', 'irreplaceable'],
    ['data/uploads/acme/app.log', 'irreplaceable'],
    ['data/logs/app.log', 'disposable'],
    ['notes.txt', 'irreplaceable'],
  ])('puts %s in %s', (relative, category) => {
    expect(categorizerFor(entityRagProfile.categoryRules)(relative)).toBe(category);
  });

  it.each([
    ['data/uploads/acme/report.pdf', 'acme'],
    ['data/entity_scoped/entities/acme/vector_store/index.faiss', 'acme'],
    ['data/entity_scoped/entities/acme', 'acme'],
    ['data/uploads/', null],
    ['data/api_storage/entities.json', null],
  ])('the entity of %s is %s', (relative, id) => {
    expect(entityOf(relative)).toBe(id);
  });

  it.each([
    {
      name: 'matching sides',
      entities: [{ id: 'a', name: 'A', files: ['data/uploads/a/x.txt'] }],
      folders: [{ id: 'a', files: 1, bytes: 10 }],
      found: [],
    },
    {
      name: 'an upload folder of no entity, with its size',
      entities: [{ id: 'a', name: 'A', files: ['data/uploads/a/x.txt'] }],
      folders: [
        { id: 'a', files: 1, bytes: 10 },
        { id: 'gone', files: 2, bytes: 300 },
      ],
      found: [['UPLOAD_ORPHAN', 'gone', 300]],
    },
    {
      name: 'an entity with no folder, and one with an empty folder',
      entities: [
        { id: 'a', name: 'A', files: [] },
        { id: 'b', name: 'B', files: ['data/uploads/b/y.txt'] },
      ],
      folders: [{ id: 'b', files: 0, bytes: 0 }],
      found: [
        ['ENTITY_NO_UPLOADS', 'a', undefined],
        ['ENTITY_NO_UPLOADS', 'b', undefined],
      ],
    },
  ])('compares entities and uploads: $name', ({ entities, folders, found }) => {
    expect(entityUploadMismatches(entities, folders).map((f) => [f.code, f.path, f.bytes])).toEqual(
      found,
    );
  });

  it('detects its demo, and an empty folder, a home folder and a native folder are not its', async () => {
    const fixture = await profileDemoFixture('entity-rag');
    const detection = await detectProfile(fixture.root);
    expect(detection.detected).toBe('entity-rag');

    const empty = tempDir();
    expect((await detectProfile(empty)).detected).toBeNull();
    const home = tempDir();
    for (const name of ['.bashrc', 'Documents/cv.pdf', 'Downloads/data.zip', 'data/notes.txt']) {
      writeFile(path.join(home, name), 'x');
    }
    expect((await detectProfile(home)).detected).toBeNull();
    // The native assistant's old layout keeps JSON stores under data/api_storage/ too.
    const legacy = tempDir();
    writeFile(path.join(legacy, 'data/api_storage/entities.json'), '{"entities": []}');
    writeFile(path.join(legacy, 'data/api_storage/chat_sessions.json'), '{"sessions": []}');
    fs.mkdirSync(path.join(legacy, 'data/vector_indexes'));
    expect((await detectProfile(legacy)).detected).toBe('native');
    expect((await detectProfile(os.homedir())).detected).not.toBe('entity-rag');
  });

  it('opens again as an entity-rag folder in a later run of Tend', async () => {
    const fixture = await profileDemoFixture('entity-rag');
    await fixture.engine.close();
    const again = await Engine.start({
      appStateDir: path.join(fixture.base, 'state'),
      root: fixture.root,
    });
    try {
      expect(again.requireSession().profile.id).toBe('entity-rag');
    } finally {
      await again.close();
    }
  });

  it('finds its demo sound, and lists uploads without an entity and entities without uploads', async () => {
    const { root } = await profileDemoFixture('entity-rag');
    for (const profileStore of entityRagProfile.stores) {
      const instances = await profileStore.instances(root);
      expect(instances.length, profileStore.id).toBeGreaterThan(0);
      for (const one of instances) {
        const check = await one.validate();
        expect(check.ok, `${one.label}: ${check.summary}`).toBe(true);
      }
    }
    const uploads = await (await instance(root, 'uploads')).validate();
    const orphanBytes = fs.statSync(
      path.join(root, 'data/uploads', DEMO_ORPHAN_UPLOADS, 'old-contract.txt'),
    ).size;
    expect(uploads.findings.map((f) => [f.code, f.severity, f.path, f.bytes])).toEqual([
      ['UPLOAD_ORPHAN', 'notice', DEMO_ORPHAN_UPLOADS, orphanBytes],
      ['ENTITY_NO_UPLOADS', 'notice', DEMO_EMPTY_ENTITY, undefined],
    ]);
    const ids = (await entityRagProfile.scopes[0]!.list(root)).map((item) => item.id);
    expect(ids).toContain(DEMO_EMPTY_ENTITY);
    expect(ids).toContain(DEMO_ORPHAN_UPLOADS);
  });

  it('names a truncated JSON store, a FAISS file cut short, a count that disagrees and a lost upload', async () => {
    const { root } = await profileDemoFixture('entity-rag');
    const entitiesFile = path.join(root, 'data/api_storage/entities.json');
    const whole = fs.readFileSync(entitiesFile);
    fs.truncateSync(entitiesFile, Math.floor(whole.length / 2));
    const json = await (await instance(root, 'entities')).validate();
    expect(json.ok).toBe(false);
    expect(json.findings[0]).toMatchObject({
      code: 'JSON_TRUNCATED',
      path: 'entities.json',
      action: expect.stringContaining('Restore entities.json from a backup'),
    });

    const [first, second] = await store('entity-index').instances(root);
    const faissFile = path.join(root, first!.path, 'index.faiss');
    fs.truncateSync(faissFile, fs.statSync(faissFile).size - 100);
    const cut = await first!.validate();
    expect(cut.ok).toBe(false);
    expect(cut.findings[0]).toMatchObject({
      code: 'FAISS_TRUNCATED',
      path: 'index.faiss',
      action: expect.stringContaining('Restore this vector store from a backup'),
    });
    expect(first!.label).toMatch(/^FAISS index of company_/);

    const metadata = path.join(root, path.dirname(second!.path), 'chunk_metadata.json');
    const chunks = JSON.parse(fs.readFileSync(metadata, 'utf8')) as Record<string, unknown>;
    delete chunks['0'];
    fs.writeFileSync(metadata, JSON.stringify(chunks));
    const counted = await second!.validate();
    expect(counted.findings.map((f) => f.code)).toEqual(['FAISS_COUNT_MISMATCH']);

    // entities.json back whole, one upload gone.
    const upload = fs
      .readdirSync(path.join(root, 'data/uploads'))
      .filter((name) => name !== DEMO_ORPHAN_UPLOADS)
      .map((name) => path.join(root, 'data/uploads', name))[0]!;
    const lost = path.join(upload, fs.readdirSync(upload)[0]!);
    fs.rmSync(lost);
    fs.writeFileSync(entitiesFile, whole);
    const missing = await (await instance(root, 'uploads')).validate();
    expect(missing.ok).toBe(false);
    expect(missing.findings.filter((f) => f.severity === 'problem')).toEqual([
      expect.objectContaining({
        code: 'FILE_MISSING',
        path: `${path.basename(upload)}/${path.basename(lost)}`,
        action: `Restore the entity ${path.basename(upload)} from a backup that has it.`,
      }),
    ]);
  });

  it('backs the folder up and restores it exactly, whole and one entity', async () => {
    const fixture = await profileDemoFixture('entity-rag');
    const before = fixture.fingerprint();
    const backup = await fixture.backup();

    // One entity broken three ways: its index cut short, an upload gone, a stray file added.
    const [entity] = (await entityRagProfile.scopes[0]!.list(fixture.root)).filter((item) =>
      fs.existsSync(path.join(fixture.root, 'data/entity_scoped/entities', item.id)),
    );
    const id = entity!.id;
    const faissFile = path.join(
      fixture.root,
      'data/entity_scoped/entities',
      id,
      'vector_store/index.faiss',
    );
    fs.truncateSync(faissFile, 64);
    const uploads = path.join(fixture.root, 'data/uploads', id);
    fs.rmSync(path.join(uploads, fs.readdirSync(uploads)[0]!));
    writeFile(path.join(uploads, 'stray.txt'), 'added after the backup\n');
    // Another entity's change is not the restore's business.
    const other = path.join(fixture.root, 'data/uploads', DEMO_ORPHAN_UPLOADS, 'new.txt');
    writeFile(other, 'kept\n');

    // The wizard's "One entity" choice: the entities the backup holds, by name.
    const overview = await fixture.engine.call('restore:plan', { backup: backup.id });
    expect(overview.scopes?.map((scope) => [scope.id, scope.singular])).toEqual([
      ['entity', 'entity'],
    ]);
    expect(overview.scopes?.[0]?.items).toContainEqual({ id, name: entity!.name });
    expect(overview.scopes?.[0]?.items.map((item) => item.id)).not.toContain(DEMO_EMPTY_ENTITY);

    const plan = await fixture.engine.call('restore:plan', {
      backup: backup.id,
      scope: { kind: 'scope', scope: 'entity', id },
    });
    expect(plan.refusals).toEqual([]);
    const report = reportOf(await fixture.restore(backup, { kind: 'scope', scope: 'entity', id }));
    expect(report.checks).toContainEqual(
      expect.objectContaining({ name: `FAISS index of ${id}`, ok: true }),
    );
    fs.rmSync(other);
    expect(fixture.fingerprint()).toEqual(before);

    // The whole folder: a JSON store cut short and a whole entity deleted come back.
    const entitiesFile = path.join(fixture.root, 'data/api_storage/entities.json');
    fs.truncateSync(entitiesFile, 10);
    fs.rmSync(path.join(fixture.root, 'data/entity_scoped/entities', id), { recursive: true });
    reportOf(await fixture.restore(backup, { kind: 'everything' }));
    expect(fixture.fingerprint()).toEqual(before);
  });

  it.skipIf(faissUnavailable() !== null)(
    'writes indexes that real FAISS loads, with one vector per chunk record',
    async () => {
      const { root } = await profileDemoFixture('entity-rag');
      for (const one of await store('entity-index').instances(root)) {
        const dir = path.join(root, one.path);
        const chunks = Object.keys(
          JSON.parse(fs.readFileSync(path.join(dir, '../chunk_metadata.json'), 'utf8')) as object,
        ).length;
        expect(readWithFaiss(path.join(dir, 'index.faiss'))).toMatchObject({
          d: 384,
          ntotal: chunks,
        });
        expect(readPickle(path.join(dir, 'index.pkl')).rows).toBe(chunks);
      }
    },
  );
});
