/**
 * The native profile: its stores find their instances in a demo root and validate them, its
 * collection scope lists, maps and reads back its ids, and its description is what the UI
 * and `tend profiles list --json` show.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileInfoSchema } from '../../../../src-shared/models/profiles';
import { nativePaths } from '../../../../src-main/engine/profiles/native/native-paths';
import { nativeProfile } from '../../../../src-main/engine/profiles/native/native-profile';
import { nativeCollectionOf } from '../../../../src-main/engine/profiles/native/native-scopes';
import { describeProfile, profileById } from '../../../../src-main/engine/profiles/registry';
import { tempDir } from '../../../support/temp-dir';
import { demoTemplate } from '../restore/support/demo-fixture';

async function demoRoot(): Promise<string> {
  const root = path.join(tempDir(), 'root');
  fs.cpSync(await demoTemplate(), root, { recursive: true, preserveTimestamps: true });
  return root;
}

describe('the native profile', () => {
  it('is described for the UI and --json', () => {
    const info = ProfileInfoSchema.parse(describeProfile(profileById('native')));
    expect(info.scopes.map((scope) => scope.singular)).toEqual(['collection']);
    expect(info.stores.map((store) => [store.id, store.kind, store.category])).toEqual([
      ['assistant-db', 'sqlite', 'irreplaceable'],
      ['history-db', 'sqlite', 'irreplaceable'],
      ['indexes', 'hnswlib', 'rebuildable'],
      ['documents', 'files', 'irreplaceable'],
      ['config', 'files', 'irreplaceable'],
    ]);
    expect(info.stores.find((store) => store.id === 'indexes')!.origin).toMatchObject({
      kind: 'derived',
      from: 'assistant-db',
    });
    expect(info.hasDemo).toBe(true);
  });

  it('finds one instance per database, collection index, and folder of a demo root', async () => {
    const root = await demoRoot();
    const collections = fs.readdirSync(path.join(root, nativePaths.vectorStore)).sort();
    const found = new Map<string, string[]>();
    for (const store of nativeProfile.stores) {
      found.set(
        store.id,
        (await store.instances(root)).map((instance) => instance.path),
      );
    }
    expect(found.get('assistant-db')).toEqual([nativePaths.assistantDb]);
    expect(found.get('indexes')).toEqual(
      collections.map((id) => `${nativePaths.vectorStore}/${id}`),
    );
    expect(found.get('documents')).toEqual([nativePaths.documents]);
    expect(found.get('config')).toEqual([nativePaths.config]);
  });

  it('validates a sound demo root, and names a broken index and an unopenable database', async () => {
    const root = await demoRoot();
    const [indexes, assistantDb] = ['indexes', 'assistant-db'].map((id) =>
      nativeProfile.stores.find((store) => store.id === id)!,
    );
    const instances = await indexes!.instances(root);
    for (const instance of instances) {
      const check = await instance.validate();
      expect(check.ok, `${instance.label}: ${check.summary}`).toBe(true);
      expect(check.summary).toMatch(/match assistant.db|empty collection|no index file/);
    }
    const first = instances[0]!;
    fs.truncateSync(path.join(root, first.path, 'index.hnsw'), 200);
    const broken = await first.validate();
    expect(broken.ok).toBe(false);
    expect(broken.findings[0]).toMatchObject({ code: 'HNSW_INDEX_BROKEN', path: 'index.hnsw' });
    expect(first.label).toBe(`index ${path.posix.basename(first.path)}`);

    const [db] = await assistantDb!.instances(root);
    expect((await db!.validate()).ok).toBe(true);
    fs.writeFileSync(path.join(root, nativePaths.assistantDb), 'not a database any more');
    const unopenable = await db!.validate();
    expect(unopenable.ok).toBe(false);
    expect(db!.label).toBe('assistant.db opens');
  });

  it('lists the collections of a root, maps one to its folders, and reads ids back from paths', async () => {
    const root = await demoRoot();
    const [scope] = nativeProfile.scopes;
    const items = await scope!.list(root);
    const folders = fs.readdirSync(path.join(root, nativePaths.vectorStore)).sort();
    expect(items.map((item) => item.id)).toEqual(folders);
    const id = items[0]!.id;
    expect(scope!.pathsOf(id)).toEqual([
      `${nativePaths.vectorStore}/${id}`,
      `${nativePaths.documents}/${id}`,
    ]);
    expect(scope!.records?.database).toBe(nativePaths.assistantDb);
  });

  it.each([
    ['local_data/internal_assistant/vector_store/notes/index.hnsw', 'notes'],
    ['local_data/internal_assistant/documents/research/a/b.pdf', 'research'],
    ['local_data/internal_assistant/documents/', null],
    ['local_data/internal_assistant/assistant.db', null],
    ['local_data/internal_assistant/vector_store', null],
    ['config/settings.yaml', null],
  ])('the collection of %s is %s', (relative, id) => {
    expect(nativeCollectionOf(relative)).toBe(id);
  });
});
