import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureStore } from '../../../../src-main/engine/stores/capture-store';
import { parseJsonFile } from '../../../../src-main/engine/stores/json-store/json-parse';
import { jsonStore } from '../../../../src-main/engine/stores/json-store/json-store';
import {
  ChatSessionsFileSchema,
  EntitiesFileSchema,
  MemoryRecordSchema,
} from '../../../../src-main/engine/stores/json-store/seed-shapes';
import { tempDir } from '../../../support/temp-dir';

describe('JSON store files', () => {
  it.each([
    ['an object', '{"a": 1}', { ok: true }],
    ['an object cut after a key', '{"a":', { ok: false, truncated: true }],
    ['a string cut short', '{"a": "hello wor', { ok: false, truncated: true }],
    ['an array cut between items', '[1, 2', { ok: false, truncated: true }],
    ['a literal cut short', '{"a": tru', { ok: false, truncated: true }],
    ['an empty file', '', { ok: false, truncated: true }],
    ['only whitespace', '  \n', { ok: false, truncated: true }],
    ['a bad token in the middle', '{"a": x, "b": 2}', { ok: false, truncated: false }],
    ['a trailing comma', '{"a": 1,}', { ok: false, truncated: false }],
    ['text after the value', '{"a": 1} x', { ok: false, truncated: false }],
  ])('parses %s', (_name, text, expected) => {
    expect(parseJsonFile(text)).toMatchObject(expected);
  });
});

describe('the json-store kind', () => {
  const entityRag = (dir: string) => ({
    dir,
    files: ['entities.json', 'chat_sessions.json'],
  });

  it('writes seed 002’s stores that validate, the same for the same seed', async () => {
    const one = path.join(tempDir(), 'api_storage');
    const two = path.join(tempDir(), 'api_storage');
    await jsonStore.writeDemo(entityRag(one), { seed: 'a', variant: 'entity-rag' });
    await jsonStore.writeDemo(entityRag(two), { seed: 'a', variant: 'entity-rag' });
    for (const name of ['entities.json', 'chat_sessions.json']) {
      expect(fs.readFileSync(path.join(one, name), 'utf8')).toBe(
        fs.readFileSync(path.join(two, name), 'utf8'),
      );
    }
    const entities = JSON.parse(fs.readFileSync(path.join(one, 'entities.json'), 'utf8'));
    expect(EntitiesFileSchema.parse(entities)).toBeTruthy();
    const sessions = JSON.parse(fs.readFileSync(path.join(one, 'chat_sessions.json'), 'utf8'));
    expect(ChatSessionsFileSchema.parse(sessions)).toBeTruthy();
    const check = await jsonStore.validate(entityRag(one));
    expect(check).toMatchObject({ ok: true, findings: [], facts: { files: 2 } });
    expect(check.facts.records).toBe(Object.keys(entities).length + Object.keys(sessions).length);
  });

  it('reports a truncated store file by name, with what to do', async () => {
    const dir = path.join(tempDir(), 'api_storage');
    await jsonStore.writeDemo(entityRag(dir), { seed: 'b', variant: 'entity-rag' });
    const file = path.join(dir, 'chat_sessions.json');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const check = await jsonStore.validate(entityRag(dir));
    expect(check.ok).toBe(false);
    expect(check.findings).toHaveLength(1);
    expect(check.findings[0]).toMatchObject({
      code: 'JSON_TRUNCATED',
      severity: 'problem',
      path: 'chat_sessions.json',
      message: expect.stringContaining('ends too early'),
      action: expect.stringContaining('Restore chat_sessions.json from a backup'),
    });
  });

  it('reports a missing file, invalid JSON and a file of the wrong shape', async () => {
    const dir = path.join(tempDir(), 'api_storage');
    await jsonStore.writeDemo(entityRag(dir), { seed: 'c', variant: 'entity-rag' });
    fs.rmSync(path.join(dir, 'chat_sessions.json'));
    fs.writeFileSync(path.join(dir, 'entities.json'), '{"x": oops}');
    expect((await jsonStore.validate(entityRag(dir))).findings).toMatchObject([
      { code: 'JSON_INVALID', path: 'entities.json' },
      { code: 'FILE_MISSING', path: 'chat_sessions.json' },
    ]);
    fs.writeFileSync(path.join(dir, 'entities.json'), '{"company_1": {"entity_id": 3}}');
    const shaped = await jsonStore.validate({
      dir,
      files: ['entities.json'],
      schema: EntitiesFileSchema,
    });
    expect(shaped.findings).toMatchObject([
      { code: 'JSON_SHAPE', path: 'entities.json', message: expect.stringContaining('company_1') },
    ]);
  });

  it('validates and captures seed 001’s memory files, one file each', async () => {
    const dir = path.join(tempDir(), 'memories');
    await jsonStore.writeDemo({ dir }, { seed: 'm', variant: 'memory-system' });
    const names = fs.readdirSync(dir).sort();
    expect(names.length).toBeGreaterThan(5);
    const check = await jsonStore.validate({ dir, schema: MemoryRecordSchema });
    expect(check).toMatchObject({ ok: true, facts: { files: names.length } });
    fs.writeFileSync(path.join(dir, names[2]!), '{"id": "mem_');
    expect((await jsonStore.validate({ dir })).findings).toMatchObject([
      { code: 'JSON_TRUNCATED', path: names[2] },
    ]);
    const plan = await jsonStore.planCapture({ dir });
    expect(plan.items.map((item) => item.path)).toEqual(names);
    const out = tempDir();
    expect(await captureStore(plan, out)).toMatchObject({ files: names.length });
    expect(fs.readFileSync(path.join(out, names[0]!))).toEqual(
      fs.readFileSync(path.join(dir, names[0]!)),
    );
  });
});
