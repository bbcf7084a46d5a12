import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RestoreReport } from '../../../../src-shared/models/restore';
import { nativePaths } from '../../../support/native-root';
import { leftoverStaging } from '../../../../src-main/engine/restore/restore-journal';
import { countRows, openAssistantDb } from '../../../../src-main/engine/store/assistant-db';
import {
  buildArchive,
  collectionsOf,
  filesOfRoot,
  treeFingerprint,
} from './support/archive-builder';
import { demoFixture, type DemoFixture } from './support/demo-fixture';
import { waitJob } from './support/restore-fixture';

let fixture: DemoFixture | null = null;
afterEach(async () => {
  await fixture?.engine.close();
  fixture = null;
});

/** The root's files, leaving out Tend's state and the database (compared by its rows). */
const files = (root: string) =>
  treeFingerprint(
    root,
    (relative) => relative === '.tend' || relative.startsWith(`${nativePaths.assistantDb}`),
  );

function rows(root: string) {
  const db = openAssistantDb(path.join(root, nativePaths.assistantDb), { readonly: true });
  try {
    return countRows(db);
  } finally {
    db.close();
  }
}

function collectionIds(root: string): string[] {
  const db = new Database(path.join(root, nativePaths.assistantDb), { readonly: true });
  try {
    return (
      db.prepare('SELECT id FROM collections ORDER BY id').all() as Array<{ id: string }>
    ).map((r) => r.id);
  } finally {
    db.close();
  }
}

function withDb<T>(root: string, work: (db: Database.Database) => T): T {
  const db = openAssistantDb(path.join(root, nativePaths.assistantDb));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

async function apply(
  f: DemoFixture,
  scope: Record<string, unknown>,
  backup = f.archive.archivePath,
) {
  const job = await f.engine.call('restore:apply', { backup, scope });
  return waitJob(f.engine, job);
}

describe('restore of a demo root', () => {
  it('restores over a damaged database: the safety snapshot keeps its bytes, and undo puts them back', async () => {
    fixture = await demoFixture();
    const f = fixture;
    const originalRows = rows(f.root);
    const dbFile = path.join(f.root, nativePaths.assistantDb);
    // Cut in half: SQLite's backup API cannot read it any more (database disk image is malformed).
    fs.truncateSync(dbFile, Math.floor(fs.statSync(dbFile).size / 2));
    const damaged = fs.readFileSync(dbFile);

    const finished = await apply(f, { kind: 'everything' });
    expect(finished.error).toBeNull();
    const report = finished.result as RestoreReport;
    expect(report.outcome).toBe('restored');
    expect(rows(f.root)).toEqual(originalRows);
    const sidecar = JSON.parse(
      fs.readFileSync(
        report.safetySnapshot!.archivePath.replace(/\.tar\.gz$/, '.manifest.json'),
        'utf8',
      ),
    ) as { warnings: Array<{ path: string; message: string }> };
    expect(sidecar.warnings).toContainEqual({
      path: nativePaths.assistantDb,
      message: expect.stringContaining('archived byte for byte'),
    });

    const undo = await waitJob(f.engine, await f.engine.call('restore:undo'));
    expect(undo.error).toBeNull();
    expect((undo.result as RestoreReport).checks).toContainEqual(
      expect.objectContaining({ name: 'put back as it was', ok: true }),
    );
    expect(fs.readFileSync(dbFile).equals(damaged)).toBe(true);
  });

  it('restores everything with every check passing, then undoes it exactly', async () => {
    fixture = await demoFixture();
    const f = fixture;
    const originalFiles = files(f.root);
    const originalRows = rows(f.root);
    const [first] = collectionIds(f.root);
    const docDir = path.join(f.root, nativePaths.documents, first!);
    const doc = fs.readdirSync(docDir).sort()[0]!;
    fs.writeFileSync(path.join(f.root, 'config/settings.yaml'), '{"changed":true}\n');
    fs.rmSync(path.join(docDir, doc));
    fs.writeFileSync(path.join(docDir, 'added-after-backup.md'), '# new\n');
    withDb(f.root, (db) => db.prepare('DELETE FROM chat_messages WHERE id % 2 = 0').run());
    const changedFiles = files(f.root);
    const changedRows = rows(f.root);
    expect(changedRows.chat_messages).toBeLessThan(originalRows.chat_messages);

    const plan = await f.engine.call('restore:plan', {
      backup: f.archive.archivePath,
      scope: { kind: 'everything' },
    });
    expect(plan.refusals).toEqual([]);
    expect(plan.totals.added).toBe(1);
    // Besides the new document, only the database's WAL and shared-memory files go.
    expect(
      plan.changes
        .filter((change) => change.action === 'remove')
        .map((change) => change.path)
        .filter((p) => !p.startsWith(`${nativePaths.assistantDb}-`)),
    ).toEqual([`${nativePaths.documents}/${first}/added-after-backup.md`]);
    expect(plan.changes).toContainEqual(
      expect.objectContaining({
        path: `${nativePaths.documents}/${first}/added-after-backup.md`,
        action: 'remove',
      }),
    );
    expect(plan.changes).toContainEqual(
      expect.objectContaining({ path: `${nativePaths.documents}/${first}/${doc}`, action: 'add' }),
    );

    const finished = await apply(f, { kind: 'everything' });
    expect(finished.error).toBeNull();
    const report = finished.result as RestoreReport;
    expect(report.outcome).toBe('restored');
    expect(report.checks.every((check) => check.ok)).toBe(true);
    expect(
      report.checks.some(
        (check) => check.name === `index ${first}` && /test query/.test(check.detail),
      ),
    ).toBe(true);
    expect(report.checks.some((check) => check.name.startsWith('integrity_check'))).toBe(true);
    // The checksums of every unpacked file come first: what a restore of plain files shows too.
    expect(report.checks[0]).toMatchObject({ name: 'checksums', ok: true });
    expect(files(f.root)).toBe(originalFiles);
    expect(rows(f.root)).toEqual(originalRows);
    expect(fs.existsSync(report.safetySnapshot!.archivePath)).toBe(true);
    expect(leftoverStaging(f.root)).toEqual([]);

    const { last } = await f.engine.call('restore:last');
    expect(last?.report.restoreId).toBe(report.restoreId);
    const undo = await waitJob(f.engine, await f.engine.call('restore:undo'));
    expect(undo.error).toBeNull();
    expect(files(f.root)).toBe(changedFiles);
    expect(rows(f.root)).toEqual(changedRows);
    // The undo is not itself undone: the next restore is the next chance.
    expect(await f.engine.dispatch('restore:undo', {})).toMatchObject({
      ok: false,
      error: { code: 'RESTORE_NOTHING_TO_UNDO' },
    });
  });

  it('restores one collection into the live database, leaving the others as they are now', async () => {
    fixture = await demoFixture();
    const f = fixture;
    const [first, second] = collectionIds(f.root);
    const countsOf = (id: string) =>
      withDb(f.root, (db) => ({
        chunks: (
          db.prepare('SELECT count(*) AS n FROM chunks WHERE collection_id = ?').get(id) as {
            n: number;
          }
        ).n,
        documents: (
          db.prepare('SELECT count(*) AS n FROM documents WHERE collection_id = ?').get(id) as {
            n: number;
          }
        ).n,
        sessions: (
          db.prepare('SELECT count(*) AS n FROM chat_sessions WHERE collection_id = ?').get(id) as {
            n: number;
          }
        ).n,
      }));
    const before = countsOf(first!);
    const liveBefore = withDb(
      f.root,
      (db) =>
        (
          db
            .prepare(
              'SELECT count(*) AS n FROM chunks WHERE collection_id = ? AND deleted_at IS NULL',
            )
            .get(first) as { n: number }
        ).n,
    );
    expect(liveBefore).toBeGreaterThan(0);
    const docDir = path.join(f.root, nativePaths.documents, first!);
    const doc = fs.readdirSync(docDir).sort()[0]!;
    const docBytes = fs.readFileSync(path.join(docDir, doc));
    withDb(f.root, (db) =>
      db.transaction(() => {
        db.prepare('DELETE FROM chat_sessions WHERE collection_id = ?').run(first);
        db.prepare('UPDATE chunks SET deleted_at = ? WHERE collection_id = ?').run(
          '2026-11-02T00:00:00Z',
          first,
        );
        db.prepare(
          `INSERT INTO chat_sessions (id, collection_id, title, created_at, updated_at)
           VALUES ('after-backup', ?, 'kept', '2026-11-02T00:00:00Z', '2026-11-02T00:00:00Z')`,
        ).run(second);
      })(),
    );
    fs.rmSync(path.join(docDir, doc));

    const plan = await f.engine.call('restore:plan', {
      backup: f.archive.archivePath,
      scope: { kind: 'collection', collection: first! },
    });
    expect(plan.refusals).toEqual([]);
    expect(plan.collections).toEqual([
      expect.objectContaining({ id: first, action: 'replace', chatSessionsNow: 0, chunksNow: 0 }),
    ]);
    const finished = await apply(f, { kind: 'collection', collection: first! });
    expect(finished.error).toBeNull();
    expect(countsOf(first!)).toEqual(before);
    expect(fs.readFileSync(path.join(docDir, doc))).toEqual(docBytes);
    withDb(f.root, (db) => {
      expect(
        db.prepare("SELECT collection_id FROM chat_sessions WHERE id = 'after-backup'").get(),
      ).toEqual({
        collection_id: second,
      });
      expect(
        db
          .prepare(
            'SELECT count(*) AS n FROM chunks WHERE collection_id = ? AND deleted_at IS NULL',
          )
          .get(first),
      ).toEqual({
        n: liveBefore,
      });
    });
  });

  it('restores a single file and nothing else', async () => {
    fixture = await demoFixture();
    const f = fixture;
    const settings = path.join(f.root, 'config/settings.yaml');
    const original = fs.readFileSync(settings);
    fs.writeFileSync(settings, '{"changed":true}\n');
    const [first] = collectionIds(f.root);
    const extra = path.join(f.root, nativePaths.documents, first!, 'added-after-backup.md');
    fs.writeFileSync(extra, '# new\n');
    const finished = await apply(f, { kind: 'paths', paths: ['config/settings.yaml'] });
    expect(finished.error).toBeNull();
    expect((finished.result as RestoreReport).totals).toMatchObject({
      replaced: 1,
      added: 0,
      removed: 0,
    });
    expect(fs.readFileSync(settings)).toEqual(original);
    expect(fs.existsSync(extra)).toBe(true);
  });

  it('rolls back by itself when a restored index does not match the database, and says which check failed', async () => {
    fixture = await demoFixture();
    const f = fixture;
    const [first, second] = collectionIds(f.root);
    const indexA = `${nativePaths.vectorStore}/${first}/index.hnsw`;
    const indexB = path.join(f.root, nativePaths.vectorStore, second!, 'index.hnsw');
    const spoiled = (await filesOfRoot(f.root)).map((file) =>
      file.path === indexA ? { ...file, content: fs.readFileSync(indexB) } : file,
    );
    const archive = buildArchive(path.join(f.base, 'spoiled'), {
      files: spoiled,
      collections: collectionsOf(path.join(f.root, nativePaths.assistantDb)),
      assistantSchemaVersion: 1,
    });
    fs.writeFileSync(path.join(f.root, 'config/settings.yaml'), '{"changed":true}\n');
    const before = files(f.root);
    const rowsBefore = rows(f.root);
    const finished = await apply(f, { kind: 'everything' }, archive.archivePath);
    expect(finished.error?.code).toBe('RESTORE_VALIDATION_FAILED');
    const report = (finished.error?.details as { report: RestoreReport }).report;
    expect(report.outcome).toBe('rolled-back');
    expect(report.failedCheck).toBe(`index ${first}`);
    expect(finished.error?.message).toContain(`index ${first}`);
    expect(files(f.root)).toBe(before);
    expect(rows(f.root)).toEqual(rowsBefore);
    expect(leftoverStaging(f.root)).toEqual([]);
  });

  it('rolls back when a restored database fails integrity_check', async () => {
    fixture = await demoFixture();
    const f = fixture;
    const spoiled = (await filesOfRoot(f.root)).map((file) => {
      if (file.path !== nativePaths.assistantDb) return file;
      const bytes = Buffer.from(file.content);
      // Garble a stretch of pages in the middle: the manifest's hashes match, the B-trees do not.
      bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64 * 1024);
      return { ...file, content: bytes };
    });
    const archive = buildArchive(path.join(f.base, 'garbled'), {
      files: spoiled,
      collections: collectionsOf(path.join(f.root, nativePaths.assistantDb)),
      assistantSchemaVersion: 1,
    });
    const before = files(f.root);
    const rowsBefore = rows(f.root);
    const finished = await apply(f, { kind: 'everything' }, archive.archivePath);
    expect(finished.error?.code).toBe('RESTORE_VALIDATION_FAILED');
    const report = (finished.error?.details as { report: RestoreReport }).report;
    expect(report.failedCheck).toBe(`integrity_check ${nativePaths.assistantDb}`);
    expect(files(f.root)).toBe(before);
    expect(rows(f.root)).toEqual(rowsBefore);
  });

  it('refuses with a reason: assistant running, schema or format newer, dimension mismatch, no space', async () => {
    fixture = await demoFixture();
    const f = fixture;
    const [first] = collectionIds(f.root);
    const all = await filesOfRoot(f.root);
    const collections = collectionsOf(path.join(f.root, nativePaths.assistantDb));
    const plan = async (
      archivePath: string,
      scope: Record<string, unknown> = { kind: 'everything' },
    ) =>
      (await f.engine.call('restore:plan', { backup: archivePath, scope })).refusals.map(
        (r) => r.code,
      );

    const lock = path.join(f.root, nativePaths.vectorStore, first!, 'assistant.pid');
    fs.writeFileSync(lock, String(process.pid));
    expect(await plan(f.archive.archivePath)).toContain('RESTORE_ASSISTANT_RUNNING');
    expect(
      await f.engine.dispatch('restore:apply', { backup: f.archive.archivePath }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'RESTORE_ASSISTANT_RUNNING',
        message: expect.stringContaining('Stop the assistant'),
      },
    });
    fs.rmSync(lock);

    const newer = buildArchive(path.join(f.base, 'newer'), {
      files: all,
      collections,
      assistantSchemaVersion: 99,
    });
    expect(await plan(newer.archivePath)).toContain('RESTORE_SCHEMA_NEWER');

    const name = collections.find((c) => c.name)!.name;
    const odd = buildArchive(path.join(f.base, 'odd'), {
      files: all,
      collections: collections.map((c) => (c.name === name ? { ...c, dimension: 768 } : c)),
      assistantSchemaVersion: 1,
    });
    const liveId = withDb(
      f.root,
      (db) =>
        (db.prepare('SELECT id FROM collections WHERE name = ?').get(name) as { id: string }).id,
    );
    expect(await plan(odd.archivePath, { kind: 'collection', collection: liveId })).toContain(
      'RESTORE_DIMENSION_MISMATCH',
    );

    const huge = buildArchive(path.join(f.base, 'huge'), {
      files: all,
      collections,
      assistantSchemaVersion: 1,
      tamperSidecar: (sidecar) => {
        const entry = sidecar.entries.find((e) => e.type === 'file') as { size: number };
        entry.size += 2 ** 50;
        sidecar.totals.bytes += 2 ** 50;
      },
    });
    expect(await plan(huge.archivePath)).toContain('RESTORE_NO_SPACE');
  });

  it('exports a backup into another folder without touching the root, and imports a backup file', async () => {
    fixture = await demoFixture();
    const f = fixture;
    const before = treeFingerprint(f.root);
    const target = path.join(f.base, 'exported');
    const job = await f.engine.call('restore:export', {
      backup: f.archive.archivePath,
      target,
      scope: { kind: 'everything' },
    });
    const finished = await waitJob(f.engine, job);
    expect(finished.error).toBeNull();
    expect(treeFingerprint(f.root)).toBe(before);
    for (const entry of f.archive.manifest.entries) {
      if (entry.type === 'file')
        expect(fs.statSync(path.join(target, entry.path)).size).toBe(entry.size);
    }
    expect(
      await f.engine.dispatch('restore:export', { backup: f.archive.archivePath, target }),
    ).toMatchObject({
      ok: false,
      error: { code: 'RESTORE_TARGET_NOT_EMPTY' },
    });

    // A file from another machine: copied without its sidecar, checked, then listed.
    const elsewhere = path.join(f.base, 'usb', 'tend-20261015-030000-full.tar.gz');
    fs.mkdirSync(path.dirname(elsewhere));
    const moved = buildArchive(path.dirname(elsewhere), {
      id: 'tend-20261015-030000-full',
      files: [{ path: 'config/settings.yaml', content: '{"from":"elsewhere"}' }],
      noSidecar: true,
    });
    expect(moved.archivePath).toBe(elsewhere);
    const imported = await waitJob(
      f.engine,
      await f.engine.call('restore:import', { file: elsewhere }),
    );
    expect(imported.error).toBeNull();
    const { backups } = await f.engine.call('restore:backups');
    expect(backups.map((b) => b.id)).toContain('tend-20261015-030000-full');
    expect(fs.existsSync(path.join(f.backups, 'tend-20261015-030000-full.manifest.json'))).toBe(
      true,
    );
  });
});
