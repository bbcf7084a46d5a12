import { describe, expect, it } from 'vitest';
import {
  backupHoldsNone,
  backupsIntro,
  confidenceText,
  listWithOr,
  restoreIntro,
  scopeCount,
  stopAppFirst,
  storesIntro,
  storesPageTitle,
} from '../../../../src-renderer/src/ui/profile/profile-words';
import type { ProfileInfo } from '../../../../src-shared/models/profiles';
import { profileInfo } from '../../../support/profile-info';

const scope = (singular: string, plural: string) => ({
  id: singular,
  singular,
  plural,
  description: '',
});
const store = (kind: ProfileInfo['stores'][number]['kind'], title: string) => ({
  id: title,
  kind,
  title,
  paths: [],
  category: 'irreplaceable' as const,
  origin: { kind: 'source' as const },
  capture: '',
  validation: '',
});

const native = profileInfo({
  stores: [store('sqlite', 'the database'), store('hnswlib', 'the indexes')],
});
const entityRag = profileInfo({
  id: 'entity-rag',
  name: 'Entity-scoped RAG API',
  appName: 'the RAG API',
  scopes: [scope('entity', 'entities')],
  stores: [store('json-store', 'the entity list'), store('faiss', 'each entity’s FAISS index')],
});
const openWebui = profileInfo({
  id: 'open-webui',
  name: 'Open WebUI',
  appName: 'Open WebUI',
  scopes: [],
  stores: [
    store('sqlite', 'webui.db'),
    store('files', 'uploaded files'),
    store('chroma', 'the Chroma vector store'),
  ],
});
const ollama = profileInfo({ id: 'ollama', appName: 'Ollama', scopes: [], stores: [] });

describe('the profile’s words', () => {
  it.each([
    [native, 'Bring back everything, one collection or a single file from a backup.'],
    [entityRag, 'Bring back everything, one entity or a single file from a backup.'],
    [openWebui, 'Bring back everything or a single file from a backup.'],
    [
      profileInfo({ scopes: [scope('workspace', 'workspaces'), scope('thread', 'threads')] }),
      'Bring back everything, one workspace, one thread or a single file from a backup.',
    ],
  ])('the restore intro of %#', (profile, start) => {
    expect(restoreIntro(profile).startsWith(start)).toBe(true);
    expect(restoreIntro(profile)).toContain('safety snapshot');
  });

  it('never says "collection" where the profile has none', () => {
    for (const profile of [entityRag, openWebui, ollama]) {
      expect(restoreIntro(profile)).not.toMatch(/collection/);
    }
  });

  it.each([
    [native, 'Checksummed archives of the assistant’s data, on a schedule and on demand.'],
    [openWebui, 'Checksummed archives of Open WebUI’s data, on a schedule and on demand.'],
    [null, 'Checksummed archives of the folder’s data, on a schedule and on demand.'],
    [ollama, 'Checksummed archives of Ollama’s data, on a schedule and on demand.'],
  ])('the backups intro of %#', (profile, text) => {
    expect(backupsIntro(profile)).toBe(text);
  });

  it('says the backups intro of a folder with an encrypted repository', () => {
    expect(backupsIntro(openWebui, true)).toBe(
      'Encrypted snapshots and checksummed archives of Open WebUI’s data, on a schedule and on demand.',
    );
  });

  it.each([
    [native, 'Indexes', /^The assistant’s vector indexes/],
    [
      entityRag,
      'Stores',
      /^The RAG API’s stores — the entity list and each entity’s FAISS index —/,
    ],
    [openWebui, 'Stores', /webui\.db, uploaded files and the Chroma vector store/],
    [ollama, 'Stores', /^Ollama’s data, checked/],
  ])('the stores page of %#', (profile, title, intro) => {
    expect(storesPageTitle(profile)).toBe(title);
    expect(storesIntro(profile)).toMatch(intro);
  });

  it.each([
    [0, 'entity', 'entities', '0 entities'],
    [1, 'entity', 'entities', '1 entity'],
    [3, 'workspace', 'workspaces', '3 workspaces'],
    [1200, 'thread', 'threads', '1,200 threads'],
  ])('counts %i %s', (count, singular, plural, text) => {
    expect(scopeCount({ count, singular, plural })).toBe(text);
  });

  it.each([
    [1, 'certain'],
    [0.9, '90% sure'],
    [0.5, '50% sure'],
    [0, '0% sure'],
  ])('a confidence of %f reads "%s"', (confidence, text) => {
    expect(confidenceText(confidence)).toBe(text);
  });

  it('says what to stop and what a backup lacks in the profile’s words', () => {
    expect(stopAppFirst(openWebui)).toBe('Stop Open WebUI before you start.');
    expect(stopAppFirst(native)).toBe('Stop the assistant before you start.');
    expect(backupHoldsNone(entityRag.scopes[0]!)).toBe('This backup holds no entities.');
    expect(listWithOr(['a'])).toBe('a');
  });
});
