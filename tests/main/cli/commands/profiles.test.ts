import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDetection } from '../../../../src-main/cli/commands/profiles';
import { ProfileDetectionSchema, ProfileInfoSchema } from '../../../../src-shared/models/profiles';
import { RootInfoSchema } from '../../../../src-shared/models/root';
import { tend } from '../../../support/run-tend';
import { entriesUnder } from '../../../support/root-state';
import { tempDir, writeFile } from '../../../support/temp-dir';

describe('tend profiles', () => {
  it.each([
    ['open-webui', 'Open WebUI', 'an Open WebUI folder'],
    ['anythingllm', 'AnythingLLM', 'an AnythingLLM folder'],
    ['jan', 'Jan', 'a Jan folder'],
  ] as const)('says a %s folder with the right article', (profile, name, words) => {
    const text = formatDetection({
      path: '/data/x',
      detected: profile,
      reason: null,
      matches: [{ profile, name, confidence: 0.97, markers: [] }],
    });
    expect(text.split('\n')[0]).toBe(`/data/x is ${words} (97% sure).`);
  });

  it('lists every profile Tend knows, as text and as the contract says', async () => {
    const base = tempDir();
    const text = await tend(['profiles', 'list'], base);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^native\s+Local assistant \(native\)$/m);
    expect(text.stdout).toContain('a partial backup or restore names collections');
    const json = await tend(['profiles', 'list', '--json'], base);
    const list = ProfileInfoSchema.array().parse(JSON.parse(json.stdout));
    expect(list.map((profile) => profile.id)).toContain('native');
  });

  it('detects a native folder, and says why a folder of something else is none', async () => {
    const base = tempDir();
    const root = path.join(base, 'assistant');
    writeFile(path.join(root, 'local_data/internal_assistant/documents/notes/a.md'), '# a\n');
    fs.mkdirSync(path.join(root, 'local_data/internal_assistant/vector_store'), {
      recursive: true,
    });
    const found = await tend(['profiles', 'detect', root], base);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toMatch(/^.* is a Local assistant \(native\) folder \(\d+% sure\)\.$/m);
    const json = ProfileDetectionSchema.parse(
      JSON.parse((await tend(['profiles', 'detect', root, '--json'], base)).stdout),
    );
    expect(json).toMatchObject({ path: root, detected: 'native', reason: null });

    const photos = path.join(base, 'photos');
    writeFile(path.join(photos, 'holiday/beach.jpg'), 'jpeg');
    const none = ProfileDetectionSchema.parse(
      JSON.parse((await tend(['profiles', 'detect', photos, '--json'], base)).stdout),
    );
    expect(none.detected).toBeNull();
    expect(none.reason).toEqual(expect.any(String));
    const said = await tend(['profiles', 'detect', photos], base);
    // Two sentences, not "…folder: Nothing of any profile…".
    expect(said.stdout).toMatch(new RegExp(`^${photos} is not an assistant folder\\. [A-Z]`, 'm'));
    // Detection reads only.
    expect(entriesUnder(photos)).toEqual(['holiday', 'holiday/beach.jpg']);
  });
});

describe('tend adopt --profile', () => {
  it('manages a folder with the profile the person names, and info says which', async () => {
    const base = tempDir();
    const folder = path.join(base, 'odd-folder');
    writeFile(path.join(folder, 'config/settings.yaml'), 'a: 1\n');
    // Nothing detected: without --yes or --profile, nothing happens.
    const refused = await tend(['adopt', folder], base);
    expect(refused.code).not.toBe(0);
    const adopted = await tend(['adopt', folder, '--profile', 'native'], base);
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stdout).toContain(
      `Tend manages ${folder} as a Local assistant (native) folder.`,
    );
    const info = await tend(['info', '--root', folder, '--json'], base);
    const parsed = RootInfoSchema.parse(JSON.parse(info.stdout).info);
    expect(parsed.profile).toMatchObject({ id: 'native', name: 'Local assistant (native)' });
    expect((await tend(['info', '--root', folder], base)).stdout).toContain(
      'Profile      Local assistant (native)',
    );
    // Nothing of Tend's was written into the folder.
    expect(entriesUnder(folder)).toEqual(['config', 'config/settings.yaml']);
  });

  it('refuses a profile Tend does not know, by code, and writes nothing', async () => {
    const base = tempDir();
    const folder = path.join(base, 'odd-folder');
    writeFile(path.join(folder, 'config/settings.yaml'), 'a: 1\n');
    const run = await tend(['adopt', folder, '--profile', 'no-such-app'], base);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/\(PROFILE_UNKNOWN\)\n$/);
    expect(entriesUnder(folder)).toEqual(['config', 'config/settings.yaml']);
  });

  it('writes a native demo with --profile native, the default', async () => {
    const base = tempDir();
    const root = path.join(base, 'demo');
    fs.mkdirSync(root);
    const run = await tend(['demo', '--root', root, '--profile', 'native'], base);
    expect(run.code, run.stderr).toBe(0);
    expect(fs.existsSync(path.join(root, 'local_data/internal_assistant/assistant.db'))).toBe(true);
  });
});
