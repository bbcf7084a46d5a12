import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureStore } from '../../../../src-main/engine/stores/capture-store';
import {
  isPartialDownload,
  manifestPathOf,
  modelNameOf,
} from '../../../../src-main/engine/stores/ollama-models/ollama-manifest';
import { ollamaModelsStore } from '../../../../src-main/engine/stores/ollama-models/ollama-store';
import { reclaimableBytes } from '../../../../src-main/engine/stores/store-finding';
import { tempDir } from '../../../support/temp-dir';

async function demo(extra: { orphan?: boolean; partial?: boolean } = {}) {
  const dir = path.join(tempDir(), 'models');
  await ollamaModelsStore.writeDemo({ dir }, { seed: 'o', ...extra });
  return dir;
}

const manifestOf = (dir: string, name: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'manifests', manifestPathOf(name)), 'utf8')) as {
    config: { digest: string };
    layers: Array<{ digest: string; size: number; mediaType: string }>;
  };

describe('Ollama model names', () => {
  it.each([
    ['registry.ollama.ai/library/llama3.2/1b', 'llama3.2:1b'],
    ['registry.ollama.ai/someone/model/latest', 'someone/model:latest'],
    ['example.com/team/model/v2', 'example.com/team/model:v2'],
    ['registry.ollama.ai/library/llama3.2', null],
  ])('%s is %s', (file, name) => {
    expect(modelNameOf(file)).toBe(name);
    if (name) expect(manifestPathOf(name)).toBe(file);
  });

  it.each([
    ['sha256-' + 'a'.repeat(64), false],
    ['sha256-' + 'a'.repeat(64) + '-partial', true],
    ['sha256-' + 'a'.repeat(64) + '-partial-3', true],
  ])('%s is a partial download: %s', (file, partial) => {
    expect(isPartialDownload(file)).toBe(partial);
  });
});

describe('the ollama-models kind', () => {
  it('lists the models with their blobs, every blob named by its SHA-256', async () => {
    const dir = await demo();
    const check = await ollamaModelsStore.validate({ dir, verify: true });
    expect(check).toMatchObject({ ok: true, findings: [] });
    expect(check.facts.models.map((m) => m.name).sort()).toEqual([
      'llama3.2:1b',
      'nomic-embed-text:latest',
    ]);
    for (const blob of fs.readdirSync(path.join(dir, 'blobs'))) {
      const hash = crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(dir, 'blobs', blob)))
        .digest('hex');
      expect(blob).toBe(`sha256-${hash}`);
    }
    const text = fs.readFileSync(
      path.join(dir, 'manifests', manifestPathOf('llama3.2:1b')),
      'utf8',
    );
    expect(
      text.startsWith(
        '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":',
      ),
    ).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('offers orphan blobs and unfinished downloads for cleanup, with their sizes', async () => {
    const dir = await demo({ orphan: true, partial: true });
    const check = await ollamaModelsStore.validate({ dir });
    expect(check.ok).toBe(true);
    const sizes = (prefix: RegExp) =>
      fs
        .readdirSync(path.join(dir, 'blobs'))
        .filter((name) => prefix.test(name))
        .map((name) => [name, fs.statSync(path.join(dir, 'blobs', name)).size] as const);
    const partials = sizes(/-partial/);
    expect(partials).toHaveLength(2);
    const findings = check.findings.map((f) => [f.code, f.path, f.bytes]);
    for (const [name, bytes] of partials) {
      expect(findings).toContainEqual(['OLLAMA_PARTIAL_DOWNLOAD', `blobs/${name}`, bytes]);
    }
    const orphans = check.findings.filter((f) => f.code === 'OLLAMA_BLOB_ORPHAN');
    expect(orphans).toHaveLength(1);
    expect(orphans[0]?.bytes).toBe(40 * 1024);
    expect(check.facts.orphanBytes).toBe(40 * 1024);
    expect(reclaimableBytes(check.findings)).toBe(
      40 * 1024 + partials.reduce((sum, [, bytes]) => sum + bytes, 0),
    );
  });

  it('reports a manifest pointing at a missing blob by name, with the model and what to do', async () => {
    const dir = await demo();
    const digest = manifestOf(dir, 'nomic-embed-text:latest').layers[0]!.digest;
    const blob = digest.replace(':', '-');
    fs.rmSync(path.join(dir, 'blobs', blob));
    const check = await ollamaModelsStore.validate({ dir });
    expect(check.ok).toBe(false);
    expect(check.findings).toEqual([
      expect.objectContaining({
        code: 'OLLAMA_BLOB_MISSING',
        severity: 'problem',
        path: `blobs/${blob}`,
        message: expect.stringContaining('nomic-embed-text:latest needs it'),
        action: expect.stringContaining('ollama pull nomic-embed-text:latest'),
      }),
    ]);
  });

  it('finds a blob whose hash does not match its name, with progress over every byte', async () => {
    const dir = await demo();
    const layer = manifestOf(dir, 'llama3.2:1b').layers[0]!;
    const blob = layer.digest.replace(':', '-');
    const file = path.join(dir, 'blobs', blob);
    const bytes = fs.readFileSync(file);
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    fs.writeFileSync(file, bytes);
    expect((await ollamaModelsStore.validate({ dir })).ok).toBe(true);
    const seen: number[] = [];
    let total: number | null = null;
    const check = await ollamaModelsStore.validate(
      { dir, verify: true },
      {
        onProgress: (progress) => {
          seen.push(progress.bytesDone);
          total = progress.bytesTotal;
        },
      },
    );
    expect(check.ok).toBe(false);
    expect(check.findings).toEqual([
      expect.objectContaining({
        code: 'OLLAMA_BLOB_HASH_MISMATCH',
        severity: 'problem',
        path: `blobs/${blob}`,
        message: expect.stringContaining('llama3.2:1b'),
        action: expect.stringContaining('ollama pull llama3.2:1b'),
      }),
    ]);
    const blobBytes = fs
      .readdirSync(path.join(dir, 'blobs'))
      .reduce((sum, name) => sum + fs.statSync(path.join(dir, 'blobs', name)).size, 0);
    expect(total).toBe(blobBytes);
    expect(seen.at(-1)).toBe(blobBytes);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('reports a broken manifest and a blob of the wrong size', async () => {
    const dir = await demo();
    const layer = manifestOf(dir, 'llama3.2:1b').layers[1]!;
    fs.appendFileSync(path.join(dir, 'blobs', layer.digest.replace(':', '-')), 'x');
    fs.writeFileSync(
      path.join(dir, 'manifests', manifestPathOf('nomic-embed-text:latest')),
      '{"schemaVersion":',
    );
    expect(
      (await ollamaModelsStore.validate({ dir })).findings.map((f) => [f.code, f.path]),
    ).toEqual([
      ['OLLAMA_MANIFEST_INVALID', `manifests/${manifestPathOf('nomic-embed-text:latest')}`],
      ['OLLAMA_BLOB_SIZE_MISMATCH', `blobs/${layer.digest.replace(':', '-')}`],
      // The broken manifest's blobs now belong to no model.
      ...fs
        .readdirSync(path.join(dir, 'blobs'))
        .filter((name) => {
          const llama = manifestOf(dir, 'llama3.2:1b');
          return ![llama.config, ...llama.layers].some((l) => l.digest.replace(':', '-') === name);
        })
        .map((name) => ['OLLAMA_BLOB_ORPHAN', `blobs/${name}`]),
    ]);
  });

  it('captures manifests, then the blobs they name, and not the leftovers', async () => {
    const dir = await demo({ orphan: true, partial: true });
    const plan = await ollamaModelsStore.planCapture({ dir });
    const paths = plan.items.map((item) => item.path);
    expect(paths.slice(0, 2).every((p) => p.startsWith('manifests/'))).toBe(true);
    expect(paths.slice(2).every((p) => p.startsWith('blobs/'))).toBe(true);
    expect(paths.some((p) => p.includes('partial'))).toBe(false);
    const out = tempDir();
    await captureStore(plan, out);
    expect(await ollamaModelsStore.validate({ dir: out, verify: true })).toMatchObject({
      ok: true,
      findings: [],
    });
  });

  it('writes the same folder for the same seed', async () => {
    const one = await demo({ orphan: true, partial: true });
    const two = await demo({ orphan: true, partial: true });
    expect(fs.readdirSync(path.join(one, 'blobs')).sort()).toEqual(
      fs.readdirSync(path.join(two, 'blobs')).sort(),
    );
  });
});
