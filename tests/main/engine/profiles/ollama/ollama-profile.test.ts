/**
 * The Ollama profile: detected on its demo and on nothing else, its rules, blobs no manifest
 * names and unfinished downloads offered for cleanup with their sizes, a manifest pointing at
 * a missing blob named with what to do, a verify that checks every blob against its SHA-256
 * name, and a backup restored exactly through the engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileInfoSchema } from '../../../../../src-shared/models/profiles';
import { ollamaProfile } from '../../../../../src-main/engine/profiles/ollama/ollama-profile';
import { verifyOllamaModels } from '../../../../../src-main/engine/profiles/ollama/ollama-stores';
import { describeProfile, detectProfile } from '../../../../../src-main/engine/profiles/registry';
import { categorizerFor } from '../../../../../src-main/engine/root/category-rules';
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

const ollamaDemo = appDemoPerTest('ollama');

const HEX = 'a'.repeat(64);

describe('the Ollama profile', () => {
  it('is described for the UI and --json', () => {
    const info = ProfileInfoSchema.parse(describeProfile(ollamaProfile));
    expect(info.stores).toMatchObject([
      {
        id: 'models',
        kind: 'ollama-models',
        category: 'redownloadable',
        origin: { kind: 'downloaded' },
      },
    ]);
    expect(info.dataLocation).toMatchObject([{ kind: 'env', variable: 'OLLAMA_MODELS' }]);
  });

  it('detects its demo, and never a home folder, an empty folder, a native folder or a bare blobs/', async () => {
    const { root } = await ollamaDemo();
    expect((await detectProfile(root)).detected).toBe('ollama');
    expect((await detectProfile(homeLikeFolder())).detected).toBeNull();
    expect((await detectProfile(tempDir())).detected).toBeNull();
    expect((await detectProfile(await demoTemplate())).detected).toBe('native');
    const blobsOnly = tempDir();
    fs.mkdirSync(path.join(blobsOnly, 'blobs'));
    expect((await detectProfile(blobsOnly)).detected).toBeNull();
  });

  it.each([
    [`blobs/sha256-${HEX}`, 'redownloadable'],
    [`blobs/sha256-${HEX}-partial`, 'disposable'],
    [`blobs/sha256-${HEX}-partial-0`, 'disposable'],
    [`blobs/sha256-${HEX}-partial-12`, 'disposable'],
    ['manifests/registry.ollama.ai/library/llama3.2/1b', 'redownloadable'],
    ['blobs/my-notes.txt', 'irreplaceable'],
    ['Modelfile', 'irreplaceable'],
  ])('%s is %s', (relative, category) => {
    expect(categorizerFor(ollamaProfile.categoryRules)(relative)).toBe(category);
  });

  it('offers blobs no manifest names and unfinished downloads for cleanup, with their sizes', async () => {
    const { root } = await ollamaDemo();
    const check = (await storeChecks(ollamaProfile, root, 'models')).get('blobs')!;
    expect(check.ok).toBe(true);
    const sizeOf = (relative: string) => fs.statSync(path.join(root, relative)).size;
    const reclaim = check.findings.map((f) => [f.code, f.severity, f.bytes === sizeOf(f.path)]);
    expect(reclaim.sort()).toEqual([
      ['OLLAMA_BLOB_ORPHAN', 'reclaimable', true],
      ['OLLAMA_PARTIAL_DOWNLOAD', 'reclaimable', true],
      ['OLLAMA_PARTIAL_DOWNLOAD', 'reclaimable', true],
    ]);
    expect(check.findings.every((f) => /[Rr]emove it/.test(f.action))).toBe(true);
  });

  it('verifies every blob against its SHA-256 name and names a damaged one with its model', async () => {
    const { root } = await ollamaDemo();
    expect((await verifyOllamaModels(root)).ok).toBe(true);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(root, 'manifests/registry.ollama.ai/library/llama3.2/1b'), 'utf8'),
    ) as { layers: Array<{ digest: string }> };
    const blob = `blobs/${manifest.layers[0]!.digest.replace(':', '-')}`;
    const bytes = fs.readFileSync(path.join(root, blob));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    fs.writeFileSync(path.join(root, blob), bytes);
    // Same size: only the hash can tell.
    expect((await storeChecks(ollamaProfile, root, 'models')).get('blobs')!.ok).toBe(true);
    const verified = await verifyOllamaModels(root);
    expect(verified.ok).toBe(false);
    expect(verified.findings.filter((f) => f.severity === 'problem')).toMatchObject([
      { code: 'OLLAMA_BLOB_HASH_MISMATCH', path: blob },
    ]);
    expect(verified.findings.find((f) => f.severity === 'problem')!.message).toContain(
      'llama3.2:1b',
    );
  });

  it('backs up, names a manifest pointing at a missing blob with what to do, and restores it exactly', async () => {
    const { root, engine } = await ollamaDemo();
    const before = fingerprint(root);
    const backup = await backUp(engine, 'full');
    const manifest = JSON.parse(
      fs.readFileSync(
        path.join(root, 'manifests/registry.ollama.ai/library/nomic-embed-text/latest'),
        'utf8',
      ),
    ) as { layers: Array<{ digest: string }> };
    const blob = `blobs/${manifest.layers[0]!.digest.replace(':', '-')}`;
    fs.rmSync(path.join(root, blob));

    const findings = await storeFindings(ollamaProfile, root, 'models');
    const missing = findings.find((f) => f.severity === 'problem');
    expect(missing).toMatchObject({ code: 'OLLAMA_BLOB_MISSING', path: blob });
    expect(missing!.message).toContain('nomic-embed-text:latest');
    expect(missing!.action).toMatch(
      /ollama pull nomic-embed-text:latest.*restore the blob from a backup/,
    );

    const report = await restore(engine, backup.id);
    expect(
      report.checks.every((check) => check.ok),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(report.checks.map((check) => check.name)).toContain('Ollama models');
    expect(fingerprint(root)).toEqual(before);

    const plan = await whileRunning('ollama', () =>
      engine.call('restore:plan', { backup: backup.id, scope: { kind: 'everything' } }),
    );
    expect(plan.refusals).toContainEqual({
      code: 'RESTORE_ASSISTANT_RUNNING',
      message: 'Ollama is running (its process ollama is). Stop Ollama, then restore.',
    });
  });

  it('the same seed writes the same data', async () => {
    const first = await appDemo('ollama', 7);
    const second = await appDemo('ollama', 7);
    try {
      const content = (root: string) =>
        fingerprint(root)
          .filter((line) => !/ lancedb\//.test(line))
          .map((line) => line.replace(/ mtime=\S+/, ''));
      expect(content(first.root)).toEqual(content(second.root));
    } finally {
      await first.engine.close();
      await second.engine.close();
    }
  });
});
