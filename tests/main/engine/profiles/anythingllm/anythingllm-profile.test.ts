/**
 * The AnythingLLM profile: detected on its demo and on nothing else, its rules, each LanceDB
 * table's rows against anythingllm.db's document vectors, a deleted table named with what to
 * do, a backup restored exactly, and one workspace restored as a scope (its table and its rows)
 * while the others keep what changed since.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ProfileInfoSchema } from '../../../../../src-shared/models/profiles';
import { anythingLlmProfile } from '../../../../../src-main/engine/profiles/anythingllm/anythingllm-profile';
import { workspaceOf } from '../../../../../src-main/engine/profiles/anythingllm/anythingllm-scopes';
import { describeProfile, detectProfile } from '../../../../../src-main/engine/profiles/registry';
import { categorizerFor } from '../../../../../src-main/engine/root/category-rules';
import { workspaceVectorCounts } from '../../../../../src-main/engine/stores/layouts/anythingllm-vectors';
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
} from '../app-profiles-support';

const anythingLlmDemo = appDemoPerTest('anythingllm');

/** Changes the app's own database, as AnythingLLM would (tests only). */
function write(root: string, work: (db: Database.Database) => void): void {
  const db = new Database(path.join(root, 'anythingllm.db'));
  try {
    work(db);
  } finally {
    db.close();
  }
}

const rowsOf = (root: string, sql: string, ...params: unknown[]) =>
  withReadOnlyDatabase(path.join(root, 'anythingllm.db'), (db) => db.prepare(sql).all(...params));

describe('the AnythingLLM profile', () => {
  it('is described for the UI and --json, with workspaces as its scope', () => {
    const info = ProfileInfoSchema.parse(describeProfile(anythingLlmProfile));
    expect(info.stores.map((store) => [store.id, store.kind, store.category])).toEqual([
      ['anythingllm-db', 'sqlite', 'irreplaceable'],
      ['lancedb', 'lancedb', 'irreplaceable'],
      ['documents', 'files', 'irreplaceable'],
      ['direct-uploads', 'files', 'irreplaceable'],
      ['plugins', 'files', 'irreplaceable'],
    ]);
    expect(info.scopes.map((scope) => scope.plural)).toEqual(['workspaces']);
    expect(info.dataLocation).toMatchObject([{ kind: 'env', variable: 'STORAGE_DIR' }]);
  });

  it('detects its demo, and never a home folder, an empty folder or a native folder', async () => {
    const { root } = await anythingLlmDemo();
    expect((await detectProfile(root)).detected).toBe('anythingllm');
    expect((await detectProfile(homeLikeFolder())).detected).toBeNull();
    expect((await detectProfile(tempDir())).detected).toBeNull();
    expect((await detectProfile(await demoTemplate())).detected).toBe('native');
  });

  it.each([
    ['anythingllm.db', 'irreplaceable'],
    ['documents/custom-documents/a.json', 'irreplaceable'],
    ['lancedb/research.lance/data/0.lance', 'irreplaceable'],
    ['direct-uploads/a.pdf', 'irreplaceable'],
    ['plugins/agent-skills/x/handler.js', 'irreplaceable'],
    ['vector-cache/3f.json', 'rebuildable'],
    ['models/Xenova/all-MiniLM-L6-v2/onnx/model.onnx', 'redownloadable'],
    ['logs/anythingllm.log', 'disposable'],
    ['tmp/upload.tmp', 'disposable'],
    ['comkey/ipc-priv.pem', 'irreplaceable'],
  ])('%s is %s', (relative, category) => {
    expect(categorizerFor(anythingLlmProfile.categoryRules)(relative)).toBe(category);
  });

  it.each([
    ['lancedb/research.lance/_versions/1.manifest', 'research'],
    ['lancedb/support-desk.lance', 'support-desk'],
    ['lancedb/.lance', null],
    ['lancedb', null],
    ['documents/custom-documents/a.json', null],
  ])('the workspace of %s is %s', (relative, slug) => {
    expect(workspaceOf(relative)).toBe(slug);
  });

  it('counts each LanceDB table’s rows against the database, and names a deleted table and a short one', async () => {
    const { root } = await anythingLlmDemo();
    const counts = workspaceVectorCounts(root);
    const slugs = Object.keys(counts).filter((slug) => counts[slug]! > 0);
    expect(slugs.length).toBeGreaterThan(1);
    // The workspace that never embedded anything has no table, and that is fine.
    expect(Object.values(counts)).toContain(0);
    const sound = (await storeChecks(anythingLlmProfile, root, 'lancedb')).get('lancedb')!;
    expect(sound.ok, sound.summary).toBe(true);
    expect(sound.summary).toMatch(new RegExp(`^${slugs.length} tables, \\d+ vectors`));

    fs.rmSync(path.join(root, 'lancedb', `${slugs[0]}.lance`), { recursive: true });
    write(root, (db) => {
      db.prepare(
        'DELETE FROM document_vectors WHERE id = (SELECT max(id) FROM document_vectors WHERE docId IN (SELECT docId FROM workspace_documents d JOIN workspaces w ON w.id = d.workspaceId WHERE w.slug = ?))',
      ).run(slugs[1]);
    });
    const broken = (await storeChecks(anythingLlmProfile, root, 'lancedb')).get('lancedb')!;
    expect(broken.ok).toBe(false);
    expect(broken.findings.map((f) => [f.code, f.path])).toEqual([
      ['LANCE_ROWS_MISMATCH', `${slugs[1]}.lance`],
      ['LANCE_TABLE_MISSING', `${slugs[0]}.lance`],
    ]);
    expect(broken.findings[1]!.action).toMatch(/^Restore .*\.lance\/ from a backup/);
  });

  it('backs up and restores everything exactly', async () => {
    const { root, engine } = await anythingLlmDemo();
    const before = fingerprint(root);
    const backup = await backUp(engine, 'full');
    const [slug] = (await anythingLlmProfile.scopes[0]!.list(root)).map((item) => item.id);
    fs.rmSync(path.join(root, 'lancedb', `${slug}.lance`), { recursive: true });
    fs.writeFileSync(path.join(root, 'anythingllm.db'), Buffer.alloc(4096));
    const report = await restore(engine, backup.id);
    expect(
      report.checks.every((check) => check.ok),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(report.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining(['anythingllm.db', 'LanceDB tables']),
    );
    expect(fingerprint(root)).toEqual(before);
  });

  it('restores one workspace, its table and its rows, and leaves the others as they are now', async () => {
    const { root, engine } = await anythingLlmDemo();
    const scope = anythingLlmProfile.scopes[0]!;
    const slugs = (await scope.list(root)).map((item) => item.id);
    const [lost, other] = slugs.filter((slug) =>
      fs.existsSync(path.join(root, 'lancedb', `${slug}.lance`)),
    );
    const backup = await backUp(engine, 'critical');
    const tableBefore = fingerprint(path.join(root, 'lancedb', `${lost}.lance`));
    const chatsOf = (slug: string) =>
      rowsOf(
        root,
        'SELECT c.prompt, c.response, c.thread_id FROM workspace_chats c JOIN workspaces w ON w.id = c.workspaceId WHERE w.slug = ? ORDER BY c.createdAt, c.prompt',
        slug,
      );
    const lostChats = chatsOf(lost!);
    const lostVectors = rowsOf(
      root,
      'SELECT v.docId, v.vectorId FROM document_vectors v JOIN workspace_documents d ON d.docId = v.docId JOIN workspaces w ON w.id = d.workspaceId WHERE w.slug = ? ORDER BY v.vectorId',
      lost,
    );

    // Since the backup: the workspace lost its table and its chats; another one moved on.
    fs.rmSync(path.join(root, 'lancedb', `${lost}.lance`), { recursive: true });
    write(root, (db) => {
      db.prepare(
        'DELETE FROM workspace_chats WHERE workspaceId = (SELECT id FROM workspaces WHERE slug = ?)',
      ).run(lost);
      db.prepare(
        "INSERT INTO workspace_chats (workspaceId, prompt, response) SELECT id, 'asked after the backup', '{}' FROM workspaces WHERE slug = ?",
      ).run(other);
    });
    const otherChats = chatsOf(other!);
    const otherTable = fingerprint(path.join(root, 'lancedb', `${other}.lance`));

    const report = await restore(engine, backup.id, {
      kind: 'scope',
      scope: 'workspace',
      id: lost,
    });
    expect(
      report.checks.every((check) => check.ok),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(fingerprint(path.join(root, 'lancedb', `${lost}.lance`))).toEqual(tableBefore);
    expect(chatsOf(lost!)).toEqual(lostChats);
    expect(
      rowsOf(
        root,
        'SELECT v.docId, v.vectorId FROM document_vectors v JOIN workspace_documents d ON d.docId = v.docId JOIN workspaces w ON w.id = d.workspaceId WHERE w.slug = ? ORDER BY v.vectorId',
        lost,
      ),
    ).toEqual(lostVectors);
    expect(chatsOf(other!)).toEqual(otherChats);
    expect(chatsOf(other!)).toContainEqual(
      expect.objectContaining({ prompt: 'asked after the backup' }),
    );
    expect(fingerprint(path.join(root, 'lancedb', `${other}.lance`))).toEqual(otherTable);
    const sound = (await storeChecks(anythingLlmProfile, root, 'lancedb')).get('lancedb')!;
    expect(sound.ok, sound.summary).toBe(true);
    expect((await scope.list(root)).map((item) => item.id)).toEqual(slugs);
  });

  it('the same seed writes the same data', async () => {
    const first = await appDemo('anythingllm', 7);
    const second = await appDemo('anythingllm', 7);
    try {
      const content = (root: string) =>
        fingerprint(root)
          .filter((line) => !/ lancedb\//.test(line))
          .map((line) => line.replace(/ mtime=\S+/, ''));
      expect(content(first.root)).toEqual(content(second.root));
      // Lance names its data files at random: the tables are compared by their rows.
      const tables = async (root: string) =>
        (await storeChecks(anythingLlmProfile, root, 'lancedb')).get('lancedb')!.facts;
      expect(await tables(first.root)).toEqual(await tables(second.root));
    } finally {
      await first.engine.close();
      await second.engine.close();
    }
  });
});
